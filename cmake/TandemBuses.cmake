# The bus table: one line a bus. A new bus is its driver header (bridge/bus/include/tandem/,
# see bus_driver.h) and one line here; a user's own bus is one tandem_add_bus() call in their
# project with INCLUDE_DIR pointing at the header. docs/buses.md describes each bus: its port
# names, the timing its manager varies and the rules its checker enforces.
tandem_add_bus(apb4 DRIVER Apb4Driver HEADER tandem/apb_driver.h)
tandem_add_bus(apb3 DRIVER Apb3Driver HEADER tandem/apb_driver.h)
# `apb`: APB4, the name every binding used before APB3 was added; kept so they stay valid.
tandem_add_bus(apb DRIVER ApbDriver HEADER tandem/apb_driver.h)
tandem_add_bus(axi4lite DRIVER Axi4LiteDriver HEADER tandem/axi4lite_driver.h)
tandem_add_bus(wishbone DRIVER WishboneClassicDriver HEADER tandem/wishbone_driver.h)
tandem_add_bus(wishbone_pipelined DRIVER WishbonePipelinedDriver HEADER tandem/wishbone_driver.h)
