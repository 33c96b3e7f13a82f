"""`python -m harness.schemas` rewrites the committed schema files from the models."""

from harness.schemas import write_all

for path in write_all():
    print(path)
