# shellcheck over every shell script of the tree (make check): the tracked files (every file,
# where this is no git checkout of its own, as in the package build's copy) whose first
# line is a sh/dash/bash shebang or a '# shellcheck shell=' directive, so that a new script is
# checked without a list to keep; and the bash completion. Warnings and errors fail it
# (-S warning); -x follows the 'source=' directives from the top of the tree.
#   make check-shellcheck
SHELL_SCRIPTS = $(shell { git ls-files --error-unmatch . >/dev/null 2>&1 && git ls-files || \
	find . -type f -not -path './build/*' -not -path './.git/*' -not -path './debian/.debhelper/*'; } | while read -r f; do [ -f "$$f" ] && \
	head -n 1 "$$f" | grep -qE '^#!(/usr)?/bin/(env )?(ba|da)?sh\b|^# shellcheck shell=' && \
	echo "$$f"; done)

.PHONY: check-shellcheck
check-shellcheck:
	shellcheck -x -S warning $(SHELL_SCRIPTS)
	shellcheck -x -S warning -s bash contrib/bash-completion/faultline
	@echo "check-shellcheck: $(words $(SHELL_SCRIPTS)) scripts and the bash completion"

CHECK_FAST += check-shellcheck
