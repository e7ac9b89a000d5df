import os

from transformers import AutoModel

# Chosen at run time: a scan cannot know it.
model = AutoModel.from_pretrained(os.environ["MODEL_NAME"])
