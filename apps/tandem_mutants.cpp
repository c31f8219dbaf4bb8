// tandem-mutants: the bundled devices plus every seeded-bug model, each as <device>.<mutant>.
// `tandem-mutants run` is the live demonstration that every bug class is caught.
#include "cli.h"
#include "tests/mutants/mutants.h"

int main(int argc, char** argv) {
  const tandem::Catalog catalog(tandem::mutant_catalog());
  return tandem::run_cli(argc, argv, catalog, "tandem-mutants");
}
