#!/bin/sh
# Reasoning model for the night batch.
set -eu
vllm serve deepseek-ai/DeepSeek-R1-Distill-Llama-70B \
  --tensor-parallel-size 4 \
  --trust-remote-code
