// Recording a lockstep run for waves and reports.
#include "tandem/cosim.h"
#include "tandem/program_run.h"

#include <algorithm>

namespace tandem {

CosimIrq CosimRecord::irq_at(Cycle at) const {
  CosimIrq cur;
  for (const CosimIrq& c : irq) {
    if (c.at > at) break;
    cur = c;
  }
  cur.at = at;
  return cur;
}

unsigned CosimRecord::irq_width() const {
  uint32_t any = 0;
  for (const CosimIrq& c : irq) any |= c.rtl | c.model;
  unsigned width = 1;
  while (width < 32 && (any >> width) != 0) ++width;
  return width;
}

void CosimRecorder::on_step(size_t index, const Step& step, Cycle from, Cycle to) {
  m_record.steps.push_back({index, step, from, to});
  m_record.end = std::max(m_record.end, to);
}

void CosimRecorder::on_beat(const BeatObservation& beat) {
  m_record.beats.push_back(beat);
  m_record.end = std::max(m_record.end, beat.done);
}

void CosimRecorder::on_irq(Cycle at, uint32_t rtl, uint32_t model) {
  if (m_record.irq.empty()) m_record.start = at;
  if (!m_record.irq.empty()) {
    CosimIrq& last = m_record.irq.back();
    if (last.rtl == rtl && last.model == model) return;
    if (last.at == at) {  // a later look at the same edge wins
      last.rtl = rtl;
      last.model = model;
      return;
    }
  }
  m_record.irq.push_back({at, rtl, model});
  m_record.end = std::max(m_record.end, at);
}

void CosimRecorder::on_dma(bool rtl_side, const DmaAccess& access) {
  m_record.dma.push_back({rtl_side, access});
  m_record.end = std::max(m_record.end, access.cycle);
}

RecordedRun run_recorded(const DeviceBinding& binding, const Program& program, const std::string& fst_path,
                         const WaiverSet* waivers, uint64_t bus_timing) {
  CosimRecorder recorder;
  LockstepOptions options;
  options.waivers = waivers;
  options.rtl.fst_path = fst_path;
  options.rtl.bus_timing = bus_timing;
  options.observer = &recorder;
  RecordedRun out;
  out.run = run_program(binding, program, options);
  out.record = std::move(recorder.record());
  return out;
}

}  // namespace tandem
