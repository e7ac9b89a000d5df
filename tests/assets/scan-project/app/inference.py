"""Summaries for clinic notes, run on our own GPUs."""

from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

MODEL_ID = "Qwen/Qwen2.5-7B-Instruct"


def load():
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision="a09a35458c702b33eeacc393d103063234e8bc28")
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID, trust_remote_code=True)
    return tokenizer, model


translator = pipeline("translation", model="google/gemma-2-9b-it")
