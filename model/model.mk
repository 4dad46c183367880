# model/model.mk - the results model (model/model.h) and its field catalogue
# (model/fields.h, fields.c), read by analyze/ and report/ alike: both link
# $(MODEL_OBJ).  Included first by the top Makefile.

MODEL_SRC := $(wildcard model/*.c)
MODEL_OBJ := $(MODEL_SRC:%.c=$(O)/%.o)

# docs/fields.md is `analyze --fields`; tests/e2e/docs_fields.sh compares.
.PHONY: docs-fields
docs-fields: $(BINDIR)/analyze
	$(BINDIR)/analyze --fields > docs/fields.md
