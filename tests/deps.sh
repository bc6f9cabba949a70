#!/bin/sh
# deps.sh - make sure the build and test dependencies are present.
# Missing ones are installed with apt-get when run as root; otherwise the
# exact command to run is printed and the script fails.
#
#   sh tests/deps.sh        what building and `make run` need
#   sh tests/deps.sh test   that, plus what `make test` drives (zsh and
#                           fish, to check the completions in those shells)
missing=""
need_pkg() { # pkg-config name, Debian package
	if ! command -v pkg-config >/dev/null 2>&1 ||
	   ! pkg-config --exists "$1" 2>/dev/null; then
		missing="$missing $2"
	fi
}
need_cmd() { # command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_cmd git git
need_cmd mandoc mandoc
need_pkg libgit2 libgit2-dev
need_pkg yaml-0.1 libyaml-dev
need_pkg libssh2 libssh2-1-dev
need_pkg cmocka libcmocka-dev
if [ "$1" = test ]; then
	need_cmd zsh zsh
	need_cmd fish fish
fi
[ -n "$missing" ] || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "lps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q && apt-get install -y -q $missing || exit 1
else
	echo "lps: missing:$missing" >&2
	echo "lps: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
