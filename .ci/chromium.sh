#!/usr/bin/env bash
# Debian's headless Chromium and its driver, for the live view's browser test (LiveViewBrowserTest), which is
# skipped, saying why, where they are missing.
#
#   source .ci/chromium.sh && chromium_install
#
# Installs the packages `chromium` and `chromium-driver` (needs root) when /usr/bin/chromium or
# /usr/bin/chromedriver is missing; nothing else is downloaded (Selenium is pointed at these two).

chromium_install() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        return 0
    fi
    echo "chromium: installing Debian's chromium and chromium-driver packages (needs root)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || {
        echo "chromium: could not install it; the browser test will be skipped" >&2
        return 0
    }
}
