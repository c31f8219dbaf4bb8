// SystemRDL front door: read, parse, elaborate.
#include "tandem/rdl.h"

#include <fmt/format.h>

#include "rdl_ast.h"
#include "tandem/error.h"
#include "tandem/files.h"

namespace tandem {

MapSpec parse_rdl(const std::string& text, const std::string& file, const std::string& top) {
  const rdl::Root root = rdl::parse(text, file);
  return rdl::elaborate(root, top, file);
}

MapSpec load_rdl(const std::string& path, const std::string& top) { return parse_rdl(read_text_file(path), path, top); }

}  // namespace tandem
