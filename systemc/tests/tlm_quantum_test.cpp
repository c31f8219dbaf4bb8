// Temporal decoupling: a tlm_quantumkeeper initiator runs register traffic (the `random`
// strategy's program for the timer, whose compare interrupts come on their own) at the quantum
// given (argv[2] ns) against a target in mode argv[1]; every read's value, response and time
// and every interrupt edge go to argv[3]. The test compares the traces of quanta of one clock
// period and 10 us: the device takes its time from the annotated delay, not from the quantum.
#include <cstdio>
#include <fstream>
#include <string>

#include "systemc/tests/sc_check.h"
#include "tandem/stimulus.h"
#include "tandem/tlm_target.h"
#include "tests/mutants/mutants.h"

namespace {
using sc_core::sc_time;
const sc_time kPeriod(10, sc_core::SC_NS);

struct Trace {
  std::string reads, edges;
  unsigned read_count = 0;
};

void run_program(sctest::Initiator& cpu, const tandem::Program& program, Trace& trace) {
  for (const tandem::Step& s : program) {
    if (s.kind == tandem::StepKind::idle) {
      cpu.idle(static_cast<unsigned>(s.data), kPeriod);
      continue;
    }
    if (s.kind != tandem::StepKind::read && s.kind != tandem::StepKind::write) continue;
    uint64_t v = s.data;
    const tlm::tlm_command cmd = s.kind == tandem::StepKind::read ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND;
    const tlm::tlm_response_status status = cpu.transfer(cmd, s.addr, reinterpret_cast<uint8_t*>(&v), s.size);
    const sc_time at = sc_core::sc_time_stamp() + cpu.keeper.get_local_time();
    if (cmd != tlm::TLM_READ_COMMAND) continue;
    ++trace.read_count;
    char line[96];
    std::snprintf(line, sizeof line, "%#llx %#llx %d %s\n", (unsigned long long)s.addr,
                  (unsigned long long)(v & tandem::size_mask(s.size)), int(status), at.to_string().c_str());
    trace.reads += line;
  }
}

class EdgeMonitor : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> line;
  Trace* trace = nullptr;
  explicit EdgeMonitor(sc_core::sc_module_name name) : sc_core::sc_module(name), line("line") {
    SC_HAS_PROCESS(EdgeMonitor);
    SC_METHOD(changed);
    sensitive << line;
    dont_initialize();
  }
  void changed() { trace->edges += sc_core::sc_time_stamp().to_string() + (line.read() ? " up\n" : " down\n"); }
};
}  // namespace

int sc_main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tlm_quantum_test model|lockstep QUANTUM_NS OUT\n");
    return 2;
  }
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  const tandem::DeviceBinding& b = catalog.get("timer");
  tandem::TlmTargetOptions o;
  o.mode = *tandem::parse_tlm_mode(argv[1]);
  o.clock_period = kPeriod;
  tandem::TlmTarget timer("timer", b, o);
  sc_core::sc_signal<bool> irq("irq");
  timer.irq[0](irq);
  Trace trace;
  EdgeMonitor monitor("monitor");
  monitor.line(irq);
  monitor.trace = &trace;
  tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(std::stod(argv[2]), sc_core::SC_NS));
  sctest::Initiator cpu("cpu");
  cpu.socket.bind(timer.socket);
  const tandem::Program program = tandem::generate_program("random", b, 5, 4000);
  cpu.body = [&](sctest::Initiator& c) { run_program(c, program, trace); };
  sc_core::sc_start();
  SC_CHECK(trace.read_count > 1000);
  SC_CHECK(!trace.edges.empty());  // the compare interrupts came
  SC_CHECK_EQ(timer.divergences(), 0u);
  std::ofstream(argv[3]) << trace.reads << trace.edges;
  return sctest::finish("tlm_quantum_test");
}
