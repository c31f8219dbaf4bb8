// tandem-sc-pin-bench: seldev's RTL as a pin-level SystemC model (Verilator --sc) with its APB
// bus driven over sc_signals from an SC_THREAD, one clock edge at a time: what a platform pays
// for the RTL without tandem's bridge. Runs the program tandem-tlm-bench --write-program saved.
//   tandem-sc-pin-bench PROGRAM.replay [--min-seconds T]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <systemc>

#include "Vseldev_sc.h"
#include "tandem/error.h"
#include "tandem/replay.h"

namespace {
using Clock = std::chrono::steady_clock;
const sc_core::sc_time kPeriod(10, sc_core::SC_NS);

class ApbMaster : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_out<bool> presetn, psel, penable, pwrite;
  sc_core::sc_out<uint32_t> paddr, pwdata, pstrb, pprot;
  sc_core::sc_in<uint32_t> prdata;
  sc_core::sc_in<bool> pready, pslverr;

  ApbMaster(sc_core::sc_module_name name, const tandem::Program& program, double min_seconds)
      : sc_core::sc_module(name), m_program(program), m_min_seconds(min_seconds) {
    SC_HAS_PROCESS(ApbMaster);
    SC_THREAD(run);
    sensitive << clk.pos();
  }
  uint64_t steps = 0, checksum = 0;
  double seconds = 0;

 private:
  // One APB transfer: setup edge, access edge, then wait states until PREADY. Reads made right
  // after an edge see the values the slave drove before it (sc_signal update semantics).
  uint32_t transfer(const tandem::Step& s) {
    const bool write = s.kind == tandem::StepKind::write;
    const unsigned lane = static_cast<unsigned>(s.addr & 3);
    psel = true;
    penable = false;
    pwrite = write;
    paddr = static_cast<uint32_t>(s.addr & ~uint64_t(3));
    pwdata = static_cast<uint32_t>(s.data << (8 * lane));
    pstrb = write ? ((1u << std::min<unsigned>(s.size, 4)) - 1) << lane : 0;
    wait();
    penable = true;
    do wait();
    while (!pready.read());
    const uint32_t data = prdata.read() >> (8 * lane);
    psel = false;
    penable = false;
    return data;
  }
  void run() {
    presetn = false;
    wait();
    wait();
    presetn = true;
    const auto t0 = Clock::now();
    do {
      for (const tandem::Step& s : m_program) {
        if (s.kind == tandem::StepKind::idle) {
          for (uint64_t i = 0; i < s.data; ++i) wait();
        } else if (s.kind == tandem::StepKind::read || s.kind == tandem::StepKind::write) {
          checksum = checksum * 31 + transfer(s);
          if (s.size == 8) {  // a 32-bit bus: the upper word is a second transfer
            tandem::Step upper = s;
            upper.addr += 4;
            upper.size = 4;
            upper.data >>= 32;
            checksum = checksum * 31 + transfer(upper);
          }
        }
      }
      steps += m_program.size();
      seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    } while (seconds < m_min_seconds);
    sc_core::sc_stop();
  }

  const tandem::Program& m_program;
  double m_min_seconds;
};
}  // namespace

int sc_main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--min-seconds")) {
    std::fprintf(stderr, "usage: tandem-sc-pin-bench PROGRAM.replay [--min-seconds T]\n");
    return 2;
  }
  tandem::ReplayFile file;
  try {
    file = tandem::load_replay(argv[1]);
  } catch (const tandem::Error& e) {
    std::fprintf(stderr, "tandem-sc-pin-bench: %s\n", e.what());
    return 2;
  }
  sc_core::sc_clock clk("clk", kPeriod);
  sc_core::sc_signal<bool> presetn("presetn"), psel("psel"), penable("penable"), pwrite("pwrite"), pready("pready"),
      pslverr("pslverr"), irq("irq");
  sc_core::sc_signal<uint32_t> paddr("paddr"), pwdata("pwdata"), pstrb("pstrb"), pprot("pprot"), prdata("prdata");
  Vseldev_sc dut("dut");
  dut.pclk(clk);
  dut.presetn(presetn);
  dut.psel(psel);
  dut.penable(penable);
  dut.paddr(paddr);
  dut.pwrite(pwrite);
  dut.pwdata(pwdata);
  dut.pstrb(pstrb);
  dut.pprot(pprot);
  dut.prdata(prdata);
  dut.pready(pready);
  dut.pslverr(pslverr);
  dut.irq(irq);
  ApbMaster master("master", file.program, argc == 4 ? std::atof(argv[3]) : 0.3);
  master.clk(clk);
  master.presetn(presetn);
  master.psel(psel);
  master.penable(penable);
  master.pwrite(pwrite);
  master.paddr(paddr);
  master.pwdata(pwdata);
  master.pstrb(pstrb);
  master.pprot(pprot);
  master.prdata(prdata);
  master.pready(pready);
  master.pslverr(pslverr);
  sc_core::sc_start();
  std::printf("%-10s %-10s %12llu %9.3f %14.0f  (checksum %#llx)\n", file.device.c_str(), "sc-pins",
              (unsigned long long)master.steps, master.seconds, master.seconds > 0 ? master.steps / master.seconds : 0,
              (unsigned long long)master.checksum);
  return 0;
}
