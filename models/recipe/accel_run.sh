#!/usr/bin/env bash
# The FM training run on a borrowed GPU machine (see README "Training on an accelerator"). Run from the
# repository root there, with the tokenized data in $TOKENS (train.npz, eval.npz) and results going to $OUT.
# MIX_ARGS passes a task mix, e.g. MIX_ARGS="--p-read-rgb 0.5 --p-derive 0.35".
set -uo pipefail
cd "$(dirname "$0")"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 -c "import torch, numpy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'numpy', numpy.__version__)"
python3 -m fourm_recipe.fm.train_accel --tokens "$TOKENS" --out "$OUT" --minutes "${MINUTES:-8}" \
  --batch "${BATCH:-512}" --lr "${LR:-1.5e-3}" --warmup "${WARMUP:-200}" --workers "${WORKERS:-12}" \
  ${INIT:+--init "$INIT"} ${MIX_ARGS:-} 2>&1 | tee "$OUT/train.out"
