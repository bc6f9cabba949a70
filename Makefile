# lps - the Leadership Performance System portfolio toolkit.
#
#   make            build ./lps and every ./lps-* in place
#   make run        install missing dependencies, build, show a sample portfolio
#   make test       unit, CLI and conformance tests, then again under ASan/UBSan
#   make bench      benchmarks (tests/bench/), not part of `make test`
#   make test-browser  headless Chromium renders the sample exhibit
#   make install    PREFIX=/usr/local DESTDIR=
#
# SAN=1 builds everything with -fsanitize=address,undefined into build/san/.

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR     = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec/lps
MANDIR     = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS     = libgit2 yaml-0.1 libssh2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# BUILD moves every build product (helpers building side by side use
# their own); BINPFX is where the programs go (the top directory by default).
BUILD  ?= build
WERROR ?= -Werror
ifeq ($(SAN),1)
B      = $(BUILD)/san
BINPFX = $(BUILD)/san/bin/
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
CFLAGS = -O1 -g
else
B      = $(BUILD)/std
BINPFX ?=
SANFLAGS =
endif

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra $(WERROR) \
	     -Wno-unused-parameter -Ilib -I$(B)/gen $(PKG_CFLAGS) \
	     -DLPS_VERSION='"$(VERSION)"' \
	     -DLPS_LIBEXECDIR='"$(LIBEXECDIR)"' \
	     $(SANFLAGS) $(CFLAGS) -MMD -MP
# --as-needed: a program records only the libraries it calls (the front
# end then loads no libgit2 at all).
ALL_LDFLAGS = -Wl,--as-needed $(SANFLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(B)/lib/%.o) $(B)/gen/builtin.o
CMD_SRC  = $(wildcard cmd/*.c)
CMDS     = $(CMD_SRC:cmd/%.c=$(BINPFX)%)
UNIT_SRC = $(wildcard tests/unit/test-*.c)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CONF_SRC = $(wildcard tests/conformance/*.c)
CONF     = $(if $(CONF_SRC),$(B)/tests/conformance)
HELPER_SRC = $(wildcard tests/helpers/*.c)
HELPERS  = $(HELPER_SRC:tests/helpers/%.c=$(B)/tests/%)
SCHEMA_FILES = $(sort $(wildcard schemas/*.yaml schemas/frameworks/*.yaml))
MAN_PAGES = $(wildcard man/*.[1-9])

.PHONY: all deps deps-test run test check-progs conformance bench install uninstall \
	clean lint-man test-browser
.SUFFIXES:

all: $(CMDS)

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/builtin.c: $(SCHEMA_FILES) lib/embed.sh
	@mkdir -p $(dir $@)
	sh lib/embed.sh $(SCHEMA_FILES) > $@.tmp && mv $@.tmp $@

$(B)/gen/builtin.o: $(B)/gen/builtin.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/liblps.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/cmd/%.o: cmd/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(CMDS): $(BINPFX)%: $(B)/cmd/%.o $(B)/liblps.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/liblps.a $(LIBS)

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

$(UNITS): $(B)/tests/test-%: $(B)/tests/test-%.o $(B)/liblps.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/liblps.a $(LIBS) $(CMOCKA_LIBS)

$(B)/tests/conformance: $(CONF_SRC) $(B)/liblps.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(CONF_SRC) $(B)/liblps.a $(LIBS)

$(HELPERS): $(B)/tests/%: tests/helpers/%.c $(B)/liblps.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/liblps.a $(LIBS)

check-progs: all $(UNITS) $(CONF) $(HELPERS)

# Missing libraries are installed when we are root, else the command is shown.
deps:
	@sh tests/deps.sh

# The tests also drive the zsh and fish completions in those shells.
deps-test:
	@sh tests/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	@sh tests/sample.sh

test: deps-test
	@$(MAKE) --no-print-directory check-progs
	@$(MAKE) --no-print-directory SAN=1 check-progs
	@BUILD=$(BUILD) BINPFX=$(BINPFX) sh tests/run-all.sh

conformance: deps
	@$(MAKE) --no-print-directory check-progs
	./$(BUILD)/std/tests/conformance

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh
	@sh tests/bench/goal-add.sh

# Needs chromium (Debian: apt-get install chromium); not part of `make test`.
test-browser: deps
	@$(MAKE) --no-print-directory all
	@LPS_TEST_BIN=$(if $(BINPFX),$(BINPFX),.) sh tests/browser/run.sh

lint-man:
	mandoc -Tlint -Wwarning $(MAN_PAGES)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 lps $(DESTDIR)$(BINDIR)/lps
	for c in $(filter-out lps,$(CMDS)); do \
		install -m 755 $$c $(DESTDIR)$(LIBEXECDIR)/; done
	for m in $(MAN_PAGES); do \
		s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 completions/lps.bash $(DESTDIR)$(BASHCOMPDIR)/lps
	install -m 644 completions/_lps $(DESTDIR)$(ZSHCOMPDIR)/_lps
	install -m 644 completions/lps.fish $(DESTDIR)$(FISHCOMPDIR)/lps.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lps
	rm -rf $(DESTDIR)$(LIBEXECDIR)
	for m in $(MAN_PAGES); do s=$${m##*.}; n=$${m##*/}; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$$n; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/lps $(DESTDIR)$(ZSHCOMPDIR)/_lps \
		$(DESTDIR)$(FISHCOMPDIR)/lps.fish

clean:
	rm -rf build
	rm -f $(CMD_SRC:cmd/%.c=%)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
