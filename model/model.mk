# model/model.mk - the results model (model/model.h) and its field catalogue
# (model/fields.h, fields.c), read by analyze/ and report/ alike: both link
# $(MODEL_OBJ), which also holds their one allocation and message layer
# (common/xalloc.c).  Included first by the top Makefile.

MODEL_SRC := $(wildcard model/*.c) common/xalloc.c
MODEL_OBJ := $(MODEL_SRC:%.c=$(O)/%.o)

# docs/fields.md is `analyze --fields`; tests/e2e/docs_fields.sh compares.
.PHONY: docs-fields
docs-fields: $(BINDIR)/analyze
	$(BINDIR)/analyze --fields > docs/fields.md
