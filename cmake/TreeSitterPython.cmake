# Fetches the tree-sitter-python grammar's C sources from the npm registry (the only place that
# ships them), pinned to one version and checked against the registry's sha512 integrity hash.
set(TSPY_VERSION "0.21.0")
# `npm view tree-sitter-python@0.21.0 dist.integrity`, base64-decoded to hex.
set(TSPY_SHA512 "2142b1ec971355b072531d621c6152fd0b088f1ee9ab04cc1cbf5b97f346ca1cb2c9d6df36ba6bba8d82ed6e95e0a66b6e49023a55fc415ac2a063855b9a9e72")
set(TSPY_DIR "${CMAKE_BINARY_DIR}/_deps/tree-sitter-python")
set(TSPY_TARBALL "${TSPY_DIR}/tree-sitter-python-${TSPY_VERSION}.tgz")

if(NOT EXISTS "${TSPY_DIR}/package/src/parser.c")
  file(MAKE_DIRECTORY "${TSPY_DIR}")
  if(NOT EXISTS "${TSPY_TARBALL}")
    find_program(NPM_EXECUTABLE npm REQUIRED)
    message(STATUS "Fetching tree-sitter-python@${TSPY_VERSION} from the npm registry")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "tree-sitter-python@${TSPY_VERSION}" --pack-destination "${TSPY_DIR}" --silent
      WORKING_DIRECTORY "${TSPY_DIR}"
      RESULT_VARIABLE npm_result OUTPUT_QUIET)
    if(NOT npm_result EQUAL 0)
      message(FATAL_ERROR "npm pack tree-sitter-python@${TSPY_VERSION} failed (${npm_result})")
    endif()
  endif()
  file(SHA512 "${TSPY_TARBALL}" tspy_actual)
  if(NOT tspy_actual STREQUAL TSPY_SHA512)
    file(REMOVE "${TSPY_TARBALL}")
    message(FATAL_ERROR "tree-sitter-python tarball integrity mismatch: got ${tspy_actual}")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${TSPY_TARBALL}" DESTINATION "${TSPY_DIR}" PATTERNS package/src)
endif()

add_library(tree_sitter_python STATIC
  "${TSPY_DIR}/package/src/parser.c"
  "${TSPY_DIR}/package/src/scanner.c")
target_include_directories(tree_sitter_python PRIVATE "${TSPY_DIR}/package/src")
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated third-party code: not ours to warn about.
target_compile_options(tree_sitter_python PRIVATE -w -O2)
