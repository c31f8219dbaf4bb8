# The bus table: one line a bus. A new bus is its driver header (bridge/bus/include/tandem/,
# see bus_driver.h) and one line here; a user's own bus is one tandem_add_bus() call in their
# project with INCLUDE_DIR pointing at the header.
tandem_add_bus(apb DRIVER ApbDriver HEADER tandem/apb_driver.h)
