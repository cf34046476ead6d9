# Compiles rules/*.yaml into the binary so an installed mlops-lint is self-contained. A build tool
# (src/rules/builtin/compile_rules.cc, linked with the rule loader) loads them at build time and
# writes the loaded rules in the form of src/rules/rule_codec.h: start-up reads them back instead
# of parsing YAML, which was most of a one-file run. A rule the loader rejects fails the build.
file(GLOB MLOPS_RULE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/rules/*.yaml")
set(MLOPS_COMPILED_RULES_CC "${CMAKE_BINARY_DIR}/generated/compiled_rules.cc")
file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/generated")
# A build tool: runs on the build machine.
add_executable(mlops_compile_rules "${CMAKE_SOURCE_DIR}/src/rules/builtin/compile_rules.cc")
target_compile_options(mlops_compile_rules PRIVATE ${MLOPS_WARNINGS})
target_link_libraries(mlops_compile_rules PRIVATE mlops_rules_core mlops_util)
add_custom_command(
  OUTPUT "${MLOPS_COMPILED_RULES_CC}"
  COMMAND mlops_compile_rules "${MLOPS_COMPILED_RULES_CC}" ${MLOPS_RULE_FILES}
  DEPENDS mlops_compile_rules ${MLOPS_RULE_FILES}
  COMMENT "Compiling the built-in rules")
