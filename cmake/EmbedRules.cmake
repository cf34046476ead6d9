# Embeds rules/*.yaml into the binary so an installed mlops-lint is self-contained. Each file's
# YAML document is packed at build time (src/rules/embed/pack_rules.cc, util/yaml_pack.h): start-up
# rebuilds the rules' nodes from it instead of scanning their text, most of a one-file run's time.
file(GLOB MLOPS_RULE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/rules/*.yaml")
set(MLOPS_EMBEDDED_RULES_CC "${CMAKE_BINARY_DIR}/generated/embedded_rules.cc")
file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/generated")
# A build tool: runs on the build machine (linked with the util layer for YAML loading).
add_executable(mlops_pack_rules "${CMAKE_SOURCE_DIR}/src/rules/embed/pack_rules.cc")
target_compile_options(mlops_pack_rules PRIVATE ${MLOPS_WARNINGS})
target_link_libraries(mlops_pack_rules PRIVATE mlops_util)
add_custom_command(
  OUTPUT "${MLOPS_EMBEDDED_RULES_CC}"
  COMMAND mlops_pack_rules "${MLOPS_EMBEDDED_RULES_CC}" ${MLOPS_RULE_FILES}
  DEPENDS mlops_pack_rules ${MLOPS_RULE_FILES}
  COMMENT "Packing the built-in rules")
