// tandem-mutants: the bundled devices plus every seeded-bug model, each as <device>.<mutant>.
// `tandem-mutants run` is the live demonstration that every bug class is caught;
// `tandem-mutants table` measures every mutant against every strategy.
#include <cstring>

#include "cli.h"
#include "mutant_table.h"
#include "tests/mutants/mutants.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "table") == 0) return tandem::run_mutant_table(argc, argv);
  const tandem::Catalog catalog(tandem::mutant_catalog());
  return tandem::run_cli(argc, argv, catalog, "tandem-mutants");
}
