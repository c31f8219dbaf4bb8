#!/bin/bash
# A tandem campaign as a Slurm array job: tandem takes its shard from SLURM_ARRAY_TASK_ID
# (relative to SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT. Submit with
#   sbatch examples/scale-out/slurm-array.sh
# then, when every task is done:  build/tandem merge reports/shard-*.json --out merged.json
#SBATCH --job-name=tandem-campaign
#SBATCH --array=1-8
#SBATCH --cpus-per-task=1
#SBATCH --output=reports/shard-%a.log
mkdir -p reports
build/tandem run --seed 1 --seed 2 --seed 3 --seed 4 --steps 1000000 --json --quiet \
  --out "reports/replays-$SLURM_ARRAY_TASK_ID" > "reports/shard-$SLURM_ARRAY_TASK_ID.json"
status=$?
[ "$status" -le 1 ]   # 1 is a divergence: a finding, reported by the merge
