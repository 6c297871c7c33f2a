# Debian package: debian/ builds faultline with debhelper through this Makefile
# (make all, make install PREFIX=/usr DESTDIR=...), against the checked-in vmlinux.h.
#   make deb         $(DEB_DIR)/faultline_<version>_amd64.deb, then lintian (fails on E: or W:)
#   make check-deb   build, lintian, install with apt-get, check every file, the completion,
#                    the unit (systemd-analyze verify; its ExecStart run without systemd),
#                    purge; needs root (tests/deb/check-deb)
# The package is built from a copy of the tree in $(DEB_DIR)/faultline-VERSION (dpkg-buildpackage
# writes into the parent directory, $(DEB_DIR)), so nothing is ever written next to the source tree.
DEB_DIR     := $(BUILD)/deb
DEB_VERSION := $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null)
DEB_SRC     := $(DEB_DIR)/faultline-$(DEB_VERSION)

.PHONY: deb deb-build check-deb
deb:
	scripts/install-deps deb
	$(MAKE) deb-build

# The copy: what git tracks plus untracked files it does not ignore (so a build needs no
# commit; a deleted tracked file is skipped), or, outside a git checkout, everything but build/ and .git.
deb-build:
	@[ "$(DEB_VERSION)" = "$(VERSION)" ] || \
		{ echo "make deb: debian/changelog says $(DEB_VERSION), the Makefile $(VERSION)" >&2; exit 2; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -co --exclude-standard | \
			tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C $(DEB_SRC); \
	else \
		tar --exclude=./$(BUILD) --exclude=./.git -cf - . | tar -xf - -C $(DEB_SRC); \
	fi
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc -jauto >../build.log 2>&1 || \
		{ tail -n 40 $(abspath $(DEB_DIR))/build.log; echo "make deb: dpkg-buildpackage failed, see $(DEB_DIR)/build.log" >&2; exit 1; }
	@echo "make deb: $(DEB_DIR)/faultline_$(DEB_VERSION)_$(DEB_ARCH).deb (build log $(DEB_DIR)/build.log)"
	@lintian --fail-on error,warning $(DEB_DIR)/faultline_$(DEB_VERSION)_$(DEB_ARCH).changes \
		>$(DEB_DIR)/lintian.txt 2>$(DEB_DIR)/lintian.err; rc=$$?; cat $(DEB_DIR)/lintian.txt; \
	grep -v 'running with root privileges' $(DEB_DIR)/lintian.err >&2; \
	echo "make deb: lintian: $$(grep -c . $(DEB_DIR)/lintian.txt) tag(s)"; exit $$rc

# the file name is worked out after `make deb` has installed dpkg-dev
check-deb: deb
	tests/deb/check-deb $(DEB_DIR)/faultline_$$(dpkg-parsechangelog -S Version)_$$(dpkg --print-architecture).deb

CHECK_ROOT += check-deb
