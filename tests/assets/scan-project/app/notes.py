from transformers import AutoModelForSequenceClassification

# Our own fine-tune, pushed to a private repository.
classifier = AutoModelForSequenceClassification.from_pretrained("acme-clinic/notes-triage-ft")
