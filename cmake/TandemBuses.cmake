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

# Each bus's pin names as its driver spells them: what a port map (tandem_add_device's
# PORT_MAP, cmake/TandemPorts.cmake) maps a user's top to. Every bus also has the optional irq
# and the bus-master port m_* (verilated_harness.h, master_port.h).
foreach(apb apb4 apb)
  tandem_bus_ports(${apb} CLOCK pclk RESET presetn RESET_ACTIVE_LOW
    PORTS psel penable paddr pwrite pwdata prdata OPTIONAL pready pslverr pstrb pprot)
endforeach()
tandem_bus_ports(apb3 CLOCK pclk RESET presetn RESET_ACTIVE_LOW
  PORTS psel penable paddr pwrite pwdata prdata OPTIONAL pready pslverr)
tandem_bus_ports(axi4lite CLOCK aclk RESET aresetn RESET_ACTIVE_LOW
  PORTS awvalid awready awaddr wvalid wready wdata wstrb bvalid bready bresp arvalid arready araddr rvalid rready
        rdata rresp
  OPTIONAL awprot arprot)
tandem_bus_ports(wishbone CLOCK clk_i RESET rst_i RESET_ACTIVE_HIGH
  PORTS cyc_i stb_i we_i adr_i dat_i dat_o ack_o OPTIONAL sel_i err_o rty_o)
tandem_bus_ports(wishbone_pipelined CLOCK clk_i RESET rst_i RESET_ACTIVE_HIGH
  PORTS cyc_i stb_i we_i adr_i dat_i dat_o ack_o stall_o OPTIONAL sel_i err_o rty_o)
