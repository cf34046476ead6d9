// Names of the typed fact kinds (model/facts.h).
#include "model/facts.h"

namespace mlops {

const char* fact_kind_name(FactKind k) {
  switch (k) {
    case FactKind::Snippet:
      return "snippet";
    case FactKind::Command:
      return "command";
    case FactKind::CiInclude:
      return "ci-include";
    case FactKind::CiTemplate:
      return "ci-template";
    case FactKind::CiExtends:
      return "ci-extends";
    case FactKind::RequirementInclude:
      return "requirement-include";
    case FactKind::RequirementConstraint:
      return "requirement-constraint";
    case FactKind::RequirementPin:
      return "requirement-pin";
    case FactKind::ProjectName:
      return "project-name";
  }
  return "?";
}

}  // namespace mlops
