// tandem-mutants: the bundled devices plus every seeded-bug model, each as <device>.<mutant>.
// `tandem-mutants run` is the live demonstration that every bug class is caught;
// `tandem-mutants table` measures every mutant against every strategy.
#include <memory>

#include "cli.h"
#include "mutant_table.h"
#include "tests/mutants/mutants.h"

int main(int argc, char** argv) {
  const tandem::Catalog catalog(tandem::mutant_catalog());
  tandem::Commands extra;
  extra.push_back(std::make_unique<tandem::MutantTableCommand>());
  return tandem::run_cli(argc, argv, catalog, "tandem-mutants", std::move(extra));
}
