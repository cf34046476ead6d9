// Dockerfile queries: instructions whose arguments match, FROM lines without a pinned base.
#include <algorithm>

#include "analysers/answer.h"

namespace mlops {

void answer_docker(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  for (const auto& ins : parsed.dockerfile().instructions) {
    if (q.kind == QueryKind::DockerUnpinnedBase) {
      if (ins.keyword == "FROM" && !ins.base_image.empty() && !ins.base_pinned)
        push(out, {ins.line, 1, 0, 0, snippet("FROM " + ins.base_image)});
      continue;
    }
    if (!q.names.empty() && std::find(q.names.begin(), q.names.end(), ins.keyword) == q.names.end()) continue;
    if (q.regex && !q.pattern.empty() && !RE2::PartialMatch(ins.args, *q.regex)) continue;
    std::string first = ins.args.substr(0, ins.args.find('\n'));
    push(out, {ins.line, 1, 0, 0, snippet(ins.keyword + " " + first)});
  }
}

}  // namespace mlops
