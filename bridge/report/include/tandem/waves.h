// Waves of a divergence: the RTL's full trace (FST, written by Verilator while the program
// runs), a cosim view that puts RTL and model side by side on the same time base (VCD,
// written here from a CosimRecord), and a GTKWave save file that loads the view with the
// RTL/model pairs grouped and the marker at the divergence.
//
// Time base: edge N of the engine is at time 2N in the RTL trace's unit (its falling clock at
// 2N+1), so the view's `diverged` marker rises at 2 x the divergence's cycle, however long the
// run. The view's `clk` toggles within 64 edges of anything it shows and is held at z across
// longer idle stretches, so the file grows with what happens, not with the edges that pass.
#pragma once

#include <optional>
#include <string>

#include "tandem/binding.h"
#include "tandem/cosim.h"
#include "tandem/files.h"
#include "tandem/lockstep.h"
#include "tandem/program_run.h"

namespace tandem {

struct WaveFiles {
  std::string rtl;   // DIR/STEM.fst: the RTL trace
  std::string view;  // DIR/STEM.vcd: the cosim view
  std::string gtkw;  // DIR/STEM.gtkw: the GTKWave save file for the view
};

// The three paths for `stem` in `dir`.
WaveFiles wave_files(const std::string& dir, const std::string& stem);

// Run `program` traced (the RTL into files.rtl) and recorded, then write the view and the
// save file. The run is the same as run_program()'s.
RecordedRun run_with_waves(const DeviceBinding& binding, const Program& program, const WaveFiles& files,
                           const WaiverSet* waivers = nullptr, uint64_t bus_timing = 0);

// The time unit of an FST file, as a power of ten of seconds (-12 for 1ps); Error when the
// file is not an FST file.
int fst_timescale(const std::string& path);

// The cosim view as VCD text. `timescale` is the RTL trace's unit (power of ten).
std::string cosim_vcd(const DeviceBinding& binding, const CosimRecord& record, const std::optional<Divergence>& d,
                      int timescale);

// The GTKWave save file text: loads files.view, groups the RTL/model pairs, puts the primary
// marker (and named marker A) at the divergence and zooms to the cycles before it.
std::string cosim_gtkw(const DeviceBinding& binding, const CosimRecord& record, const std::optional<Divergence>& d,
                       const WaveFiles& files);

// "gtkwave VIEW GTKW": the command that opens the view.
std::string gtkwave_command(const WaveFiles& files);

}  // namespace tandem
