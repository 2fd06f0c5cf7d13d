# bti: the KE's toolkit.  `make demo` and `make check` are the whole set-up
# on a fresh Debian machine: both install what is missing first.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
MANDIR_NB = $(PREFIX)/share/man/nb/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/vendor-completions
SHAREDIR = $(PREFIX)/share/bti
EXAMPLEDIR = $(SHAREDIR)/examples
LOCALEDIR = $(PREFIX)/share/locale

VERSION = 0.2.0
CC ?= cc
# The Debian packages bti builds and tests with (SPEC section 11).
DEB_PKGS = build-essential pkg-config libsqlite3-dev libcjson-dev libcsv-dev check \
	nettle-dev sqlite3 python3 valgrind clang libclang-rt-14-dev tzdata groff-base man-db time \
	libutf8proc-dev libxlsxwriter-dev python3-openpyxl chromium po4a gettext locales
PKGS = sqlite3 libcjson nettle libutf8proc xlsxwriter

# BUILD is the object directory; a sanitized build uses its own.
BUILD ?= build
SAN ?=
OPT ?= -O2
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) check 2>/dev/null)
# libxlsxwriter is not linked: cmd/xlsx.c loads the library it was built
# against (its SONAME) when a workbook starts, so the other commands do not
# pay for loading it and its libcrypto (issue 19).
PKG_LIBS = $(shell pkg-config --libs $(filter-out xlsxwriter,$(PKGS)) 2>/dev/null) -lcsv
XLSX_SONAME = $(shell objdump -p $$($(CC) -print-file-name=libxlsxwriter.so) 2>/dev/null | \
	sed -n 's/^ *SONAME *//p')
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)
# -pthread: restore reads and hashes the export in a second thread (issue 19).
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -Werror $(OPT) -g $(SAN) \
	-Iinclude -Icmd -Ilib $(PKG_CFLAGS) -DBTI_VERSION='"$(VERSION)"' \
	-DBTI_LOCALEDIR='"$(LOCALEDIR)"' -DBTI_XLSX_SONAME='"$(XLSX_SONAME)"' $(CFLAGS)
LDFLAGS_ALL = -pthread $(SAN) $(LDFLAGS)

LIB_SRC = $(sort $(wildcard lib/*.c lib/base/*.c lib/store/*.c))
CMD_SRC = $(filter-out cmd/main.c,$(sort $(wildcard cmd/*.c)))
UNIT_SRC = $(sort $(wildcard tests/unit/check_*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/unit/runner.o
SUITES = $(patsubst tests/unit/check_%.c,%,$(UNIT_SRC))

# The translations (SPEC section 12): po/bti.pot is made from the sources,
# po/LANG.po translates it, and each is compiled to $(BUILD)/locale, where
# the binary beside it finds it (cmd/bti.c), and installed under LOCALEDIR.
PO_LANGS = nb
# Nynorsk and "no" locales read the bokmål catalogue (SPEC section 12).
MO_ALIASES = nn no
MO_LANGS = $(PO_LANGS) $(MO_ALIASES)
MO = $(MO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/bti.mo)
XGETTEXT = xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
	--keyword=dngettext:2,3 --keyword=NV_:1c,2 \
	--add-comments=TRANSLATORS: --add-location=file --sort-output --package-name=bti \
	--package-version=$(VERSION) --msgid-bugs-address="the bti maintainers" --foreign-user
# The locales the tests run in besides C.
TEST_LOCALES = nb_NO.UTF-8

SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: pot check-po all deps demo check check-unit check-e2e check-san check-san-unit \
	check-san-e2e check-long install uninstall \
	clean install-dirs install-lib uninstall-lib \
	bench format fuzz fuzz-build fuzz-bins check-fuzz check-valgrind man-po

all: deps $(BUILD)/bti bti $(MO) $(BUILD)/man/nb/stamp

# Install what is missing: as root directly, else with sudo, else say how.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q 'install ok installed' || printf '%s ' $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "bti: installing $$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "bti: run: apt-get install $$missing" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			$$SUDO apt-get install -y -qq $$missing >/dev/null || \
		{ echo "bti: run: apt-get install $$missing" >&2; exit 1; }; \
	fi
	@for l in $(TEST_LOCALES); do \
		locale -a 2>/dev/null | grep -qix "$$(echo $$l | sed 's/UTF-8/utf8/')" && continue; \
		echo "bti: generating the locale $$l"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "bti: run: localedef -i $${l%%.*} -f UTF-8 $$l" >&2; exit 1; fi; \
		$$SUDO localedef -i $${l%%.*} -c -f UTF-8 -A /usr/share/locale/locale.alias $$l || \
		{ echo "bti: run: localedef -i $${l%%.*} -f UTF-8 $$l" >&2; exit 1; }; \
	done

bti: $(BUILD)/bti
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/bti bti; fi

$(BUILD)/libbti.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bti: $(BUILD)/cmd/main.o $(CMD_OBJ) $(BUILD)/libbti.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# The bokmål man pages (SPEC section 12): po4a writes $(BUILD)/man/nb/*.1
# from the English man/*.1 and po/man/nb.po, and never touches po/ here; text
# not yet translated stays English in them (--keep 0), and test_man_nb fails.
MAN_PAGES = $(sort $(wildcard man/*.1))
$(BUILD)/man/nb/stamp: $(MAN_PAGES) po/man/nb.po po/man/po4a.cfg
	@mkdir -p $(dir $@)
	po4a -q --no-update --keep 0 --destdir $(BUILD) po/man/po4a.cfg
	@touch $@

# After an English page changed: the template and nb.po again, the new or
# changed strings untranslated or fuzzy in nb.po for a translator.
man-po:
	po4a --no-translations --force po/man/po4a.cfg

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/locale/%/LC_MESSAGES/bti.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(MO_ALIASES:%=$(BUILD)/locale/%/LC_MESSAGES/bti.mo): $(BUILD)/locale/nb/LC_MESSAGES/bti.mo
	@mkdir -p $(dir $@)
	cp $< $@

# po/bti.pot from every marked string in cmd/ and lib/ (_() and N_());
# `make pot` remakes it and merges it into each po/LANG.po.
pot:
	$(XGETTEXT) -o po/bti.pot $(sort $(wildcard cmd/*.c cmd/*.h lib/*.c lib/*.h lib/*/*.c lib/*/*.h))
	@for l in $(PO_LANGS); do msgmerge -q --update --backup=none po/$$l.po po/bti.pot; done

# po/bti.pot is what the sources mark now, and each po/LANG.po translates
# all of it, with none fuzzy.
check-po:
	@mkdir -p $(BUILD)
	@$(XGETTEXT) -o $(BUILD)/bti.pot $(sort $(wildcard cmd/*.c cmd/*.h lib/*.c lib/*.h lib/*/*.c lib/*/*.h))
	@diff -q -I '^"POT-Creation-Date:' po/bti.pot $(BUILD)/bti.pot >/dev/null || \
		{ echo "bti: po/bti.pot is stale: run make pot and translate" >&2; exit 1; }
	@for l in $(PO_LANGS); do \
		stats=$$(msgfmt --check --statistics -o /dev/null po/$$l.po 2>&1) || { echo "$$stats" >&2; exit 1; }; \
		msgcmp po/$$l.po po/bti.pot || exit 1; \
		case "$$stats" in *untranslated*|*fuzzy*) echo "bti: po/$$l.po: $$stats" >&2; exit 1;; esac; \
	done

# The unit runner adds one suite per tests/unit/check_<module>.c.
$(BUILD)/tests/unit/suites.h: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	@printf 'SUITE(%s)\n' $(SUITES) > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/unit/runner.o: tests/unit/runner.c $(BUILD)/tests/unit/suites.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I$(BUILD)/tests/unit -c -o $@ $<

$(BUILD)/unit: $(UNIT_OBJ) $(CMD_OBJ) $(BUILD)/libbti.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS)

# The test-only fault-injecting SQLite VFS, preloaded into test runs of bti
# (tests/faults/faultvfs.c); never linked into the binary.
$(BUILD)/faultvfs.so: tests/faults/faultvfs.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -shared -o $@ $< $(LDFLAGS_ALL) $(PKG_LIBS)

check: deps
	$(MAKE) check-po check-unit check-e2e
	$(MAKE) check-san-unit
	$(MAKE) check-fuzz

# The floors of lib/ (tests/floors.py) are checked over the objects first.
check-unit: $(BUILD)/unit
	python3 tests/floors.py $(BUILD)
	$(BUILD)/unit

check-e2e: $(BUILD)/bti $(MO) $(BUILD)/faultvfs.so $(BUILD)/man/nb/stamp
	python3 tests/e2e/run.py --bti $(BUILD)/bti

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer;
# their own exit codes lie outside bti's 0-8, so no finding passes for a
# refusal a test expects.
# Leaks are looked for in the unit run, which drives every library function;
# in the end-to-end run the leak check at each of some 4,000 process exits
# would double its time.  make check runs the unit half (check-san-unit);
# the end-to-end half takes some seven minutes on two cores, past make
# check's ten, and runs in check-long (and alone as check-san-e2e).  It
# leaves the Norwegian rerun of each refusal to the plain run.
SAN_ENV = ASAN_OPTIONS=exitcode=99 LSAN_OPTIONS=exitcode=98 \
	UBSAN_OPTIONS=exitcode=97:print_stacktrace=1
check-san: check-san-unit check-san-e2e

check-san-unit:
	$(SAN_ENV) ASAN_OPTIONS=exitcode=99:detect_leaks=1 \
		$(MAKE) BUILD=build-san SAN="$(SAN_FLAGS)" OPT=-O1 check-unit

check-san-e2e:
	$(SAN_ENV) ASAN_OPTIONS=exitcode=99:detect_leaks=0 BTI_E2E_NORWEGIAN=0 \
		$(MAKE) BUILD=build-san SAN="$(SAN_FLAGS)" OPT=-O1 check-e2e

# libFuzzer targets (tests/fuzz/fuzz_*.c) over the library built with clang
# under ASan and UBSan; each has a seed corpus in tests/fuzz/corpus/NAME.
# `make fuzz FUZZ_SECONDS=N` runs each N seconds, growing a corpus in
# build-fuzz/corpus; `make check-fuzz` (part of make check) runs each a few
# seconds from its seeds.  A finding stops the run with a crash-* file.
FUZZ_TARGETS = import date nin text restore config
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 4
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_BIN = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_RUN = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

fuzz-build: deps
	$(MAKE) BUILD=build-fuzz CC=clang SAN="$(FUZZ_SAN)" OPT=-O1 fuzz-bins

fuzz-bins: $(FUZZ_BIN)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(BUILD)/libbti.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(BUILD)/libbti.a $(PKG_LIBS)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do mkdir -p build-fuzz/corpus/$$t build-fuzz/crashes; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		$(FUZZ_RUN) build-fuzz/fuzz/fuzz_$$t build-fuzz/corpus/$$t tests/fuzz/corpus/$$t \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=build-fuzz/crashes/$$t- 2>build-fuzz/fuzz_$$t.log || \
			{ tail -40 build-fuzz/fuzz_$$t.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units|cov:' build-fuzz/fuzz_$$t.log | tail -2; \
	done

check-fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do rm -rf build-fuzz/check/$$t; mkdir -p build-fuzz/check/$$t; \
		$(FUZZ_RUN) build-fuzz/fuzz/fuzz_$$t build-fuzz/check/$$t tests/fuzz/corpus/$$t \
			-max_total_time=$(FUZZ_CHECK_SECONDS) -print_final_stats=1 \
			-artifact_prefix=build-fuzz/check/$$t- 2>build-fuzz/check/$$t.log || \
			{ tail -40 build-fuzz/check/$$t.log; exit 1; }; \
		printf 'fuzz_%s: %s runs\n' $$t \
			"$$(sed -n 's/stat::number_of_executed_units: *//p' build-fuzz/check/$$t.log)"; \
	done

# The long variants of the reliability tests: hundreds of crash loops, big
# files, long concurrent runs (about five minutes).
check-long: $(BUILD)/bti $(MO) $(BUILD)/faultvfs.so
	python3 tests/long/run_long.py --bti $(BUILD)/bti
	$(MAKE) check-san-e2e
	$(MAKE) check-valgrind

# The unit suites (CK_FORK=no, so memcheck sees every test) and an
# end-to-end subset under valgrind's memcheck: 0 errors and 0 leaks
# (definite, indirect, possible), else exit 96.  Part of check-long: the
# end-to-end subset alone takes minutes.
VALGRIND = valgrind -q --tool=memcheck --error-exitcode=96 --leak-check=full \
	--show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible
VALGRIND_E2E ?= test_referral.py
check-valgrind: $(BUILD)/unit $(BUILD)/bti
	CK_FORK=no $(VALGRIND) $(BUILD)/unit
	sed 's|@BTI@|$(abspath $(BUILD)/bti)|' tests/valgrind/bti-memcheck.in > $(BUILD)/bti-memcheck
	chmod +x $(BUILD)/bti-memcheck
	python3 tests/e2e/run.py --bti $(BUILD)/bti-memcheck -k $(VALGRIND_E2E)

# Speed and memory on a synthetic municipality (SPEC section 10); the
# figures go to stdout, tests/bench/results.md and README.md (between its marks).
bench: all
	python3 tests/bench/bench.py --bti $(BUILD)/bti --out tests/bench/results.md --readme README.md

# Built quietly (compiler lines would bury the story), then told.
demo:
	@$(MAKE) -s all >/dev/null
	@sh examples/demo.sh ./bti

# The directories install fills.  Those it had to make are listed in
# $(SHAREDIR)/made-dirs, and uninstall removes them again once empty.
INSTALL_DIRS = $(BINDIR) $(MANDIR) $(MANDIR_NB) $(BASHCOMPDIR) $(ZSHCOMPDIR) $(EXAMPLEDIR) \
	$(MO_LANGS:%=$(LOCALEDIR)/%/LC_MESSAGES)
CRON_EXAMPLES = $(sort $(wildcard examples/cron-*.sh))

# Make the directories install fills, noting those it made.
install-dirs:
	@made=; for d in $(INSTALL_DIRS); do \
		while [ "$$d" != / ] && [ ! -d "$(DESTDIR)$$d" ]; do made="$$made $$d"; d=$$(dirname "$$d"); done; \
	done; \
	install -d $(addprefix $(DESTDIR),$(INSTALL_DIRS)) && \
	{ for d in $$made; do echo "$$d"; done; cat "$(DESTDIR)$(SHAREDIR)/made-dirs" 2>/dev/null; } \
		| sort -u > "$(DESTDIR)$(SHAREDIR)/made-dirs.new" && \
	mv "$(DESTDIR)$(SHAREDIR)/made-dirs.new" "$(DESTDIR)$(SHAREDIR)/made-dirs"

install: all install-dirs
	@install -m 0755 $(BUILD)/bti $(DESTDIR)$(BINDIR)/bti
	@# shared mode (SPEC section 9): make install BTI_GROUP=btidata
	@if [ -n "$(BTI_GROUP)" ]; then chgrp $(BTI_GROUP) $(DESTDIR)$(BINDIR)/bti && \
		chmod 2755 $(DESTDIR)$(BINDIR)/bti && echo "bti: $(BINDIR)/bti is setgid $(BTI_GROUP)"; fi
	@install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/
	@install -m 0644 $(MAN_PAGES:man/%=$(BUILD)/man/nb/%) $(DESTDIR)$(MANDIR_NB)/
	@install -m 0644 completions/bti.bash $(DESTDIR)$(BASHCOMPDIR)/bti
	@install -m 0644 completions/_bti $(DESTDIR)$(ZSHCOMPDIR)/_bti
	@install -m 0755 $(CRON_EXAMPLES) $(DESTDIR)$(EXAMPLEDIR)/
	@for l in $(MO_LANGS); do \
		install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/bti.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; done
	@echo "bti: installed $(BINDIR)/bti, its manual pages, translations, completions and cron examples" \
		"(in $(EXAMPLEDIR)) under $(DESTDIR)$(PREFIX)"

uninstall:
	@rm -f $(DESTDIR)$(BINDIR)/bti $(DESTDIR)$(BASHCOMPDIR)/bti $(DESTDIR)$(ZSHCOMPDIR)/_bti
	@for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/$${f#man/} $(DESTDIR)$(MANDIR_NB)/$${f#man/}; done
	@for f in $(CRON_EXAMPLES); do rm -f $(DESTDIR)$(EXAMPLEDIR)/$${f#examples/}; done
	@for l in $(MO_LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/bti.mo; done
	@made=$$(sort -r "$(DESTDIR)$(SHAREDIR)/made-dirs" 2>/dev/null); \
	rm -f "$(DESTDIR)$(SHAREDIR)/made-dirs"; \
	for d in $$made; do rmdir "$(DESTDIR)$$d" 2>/dev/null || :; done
	@echo "bti: uninstalled from $(DESTDIR)$(PREFIX)"

# The shared library (SPEC section 11, issue 15): libbti.so.$(VERSION), its
# SONAME libbti.so.$(SO_MAJOR), linked from the objects libbti.a holds
# (compiled -fPIC for it) and exporting only the functions and tables
# include/bti/ declares (a version script made from the headers).  Its
# headers, bti.pc and the development link install beside it; the binary
# stays linked against libbti.a.
SO_MAJOR = $(firstword $(subst ., ,$(VERSION)))
SO_NAME = libbti.so.$(SO_MAJOR)
SO_FILE = libbti.so.$(VERSION)
LIBDIR = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
PKGCONFIGDIR = $(LIBDIR)/pkgconfig
PUBLIC_H = $(sort $(wildcard include/bti/*.h))
# What the library links: its headers name cJSON (Requires), the rest is
# inside (Requires.private; libcsv has no .pc file: Libs.private).
LIB_REQUIRES = libcjson
LIB_REQUIRES_PRIVATE = sqlite3 nettle libutf8proc
LIB_LIBS_PRIVATE = -lcsv
SO_LIBS = $(shell pkg-config --libs $(LIB_REQUIRES) $(LIB_REQUIRES_PRIVATE) 2>/dev/null) \
	$(LIB_LIBS_PRIVATE)
INSTALL_DIRS += $(LIBDIR) $(INCLUDEDIR)/bti $(PKGCONFIGDIR)
# The run-time linker's cache learns of the library on a real install by root.
LDCONFIG = if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig || :; fi

# Objects built before the library was shared lack -fPIC: the marker,
# newer than they are, rebuilds them once.
$(LIB_OBJ): CFLAGS_ALL += -fPIC
$(LIB_OBJ): $(BUILD)/lib/.pic
$(BUILD)/lib/.pic:
	@mkdir -p $(dir $@) && touch $@

# The exported names: each bti_ function and extern table the public
# headers declare (comments stripped first).
$(BUILD)/libbti.map: $(PUBLIC_H)
	@mkdir -p $(dir $@)
	@{ echo '{'; echo 'global:'; \
	for h in $(PUBLIC_H); do $(CC) -fpreprocessed -dD -E -P $$h; done | \
		sed -nE 's/.*\<(bti_[a-z0-9_]+) *\(.*/\1/p; s/^extern .*\<(bti_[a-z0-9_]+);$$/\1/p' | \
		sort -u | sed 's/.*/    &;/'; \
	echo 'local:'; echo '    *;'; echo '};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/$(SO_FILE): $(LIB_OBJ) $(BUILD)/libbti.map
	$(CC) $(LDFLAGS_ALL) -shared -Wl,-soname,$(SO_NAME) -Wl,--version-script=$(BUILD)/libbti.map \
		-Wl,--no-undefined -o $@ $(LIB_OBJ) $(SO_LIBS)

# Tests install the library (tests/e2e/test_library.py): built first, so
# parallel tests never link it at once.
all check-e2e: $(BUILD)/$(SO_FILE)

# bti.pc names PREFIX (never DESTDIR), so it is written at install.
install-lib: install-dirs $(BUILD)/$(SO_FILE)
	@install -m 0755 $(BUILD)/$(SO_FILE) $(DESTDIR)$(LIBDIR)/$(SO_FILE)
	@ln -sf $(SO_FILE) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	@ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libbti.so
	@install -m 0644 $(PUBLIC_H) $(DESTDIR)$(INCLUDEDIR)/bti/
	@sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|; s|@REQUIRES@|$(LIB_REQUIRES)|' \
		-e 's|@REQUIRES_PRIVATE@|$(LIB_REQUIRES_PRIVATE)|; s|@LIBS_PRIVATE@|$(LIB_LIBS_PRIVATE)|' \
		bti.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/bti.pc && chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/bti.pc
	@$(LDCONFIG)
	@echo "bti: installed $(LIBDIR)/$(SO_FILE), its headers in $(INCLUDEDIR)/bti and" \
		"$(PKGCONFIGDIR)/bti.pc under $(DESTDIR)$(PREFIX)"

uninstall-lib:
	@rm -f $(DESTDIR)$(LIBDIR)/$(SO_FILE) $(DESTDIR)$(LIBDIR)/$(SO_NAME) \
		$(DESTDIR)$(LIBDIR)/libbti.so $(DESTDIR)$(PKGCONFIGDIR)/bti.pc
	@for f in $(PUBLIC_H); do rm -f $(DESTDIR)$(INCLUDEDIR)/bti/$${f#include/bti/}; done
	@$(LDCONFIG)

install: install-lib
uninstall: uninstall-lib

format:
	clang-format -i $(LIB_SRC) $(CMD_SRC) cmd/main.c $(UNIT_SRC) include/bti/*.h cmd/*.h lib/*.h lib/*/*.h

clean:
	rm -rf build build-san build-fuzz bti

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
