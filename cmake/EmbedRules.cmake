# Embeds rules/*.yaml into the binary so an installed mlops-lint is self-contained.
file(GLOB MLOPS_RULE_FILES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/rules/*.yaml")
set(MLOPS_EMBEDDED_RULES_CC "${CMAKE_BINARY_DIR}/generated/embedded_rules.cc")
add_custom_command(
  OUTPUT "${MLOPS_EMBEDDED_RULES_CC}"
  COMMAND "${CMAKE_COMMAND}" -DOUT=${MLOPS_EMBEDDED_RULES_CC} -DRULES_DIR=${CMAKE_SOURCE_DIR}/rules
          -P "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbeddedRules.cmake"
  DEPENDS ${MLOPS_RULE_FILES} "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbeddedRules.cmake"
  COMMENT "Embedding built-in rules")
