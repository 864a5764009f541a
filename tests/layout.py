"""layout.py: the layers of the source tree, checked (run by `make check`).

Folders are layers and include only downwards (README.md, Layout):

    harness/lib < harness/load < harness/result < harness/run
    harness/result < compare/import < compare < compare/report < plots
    plots < site (the report site); harness/run, site < harness/cli

A folder may include its own headers and those of the folders below it;
harness/run and compare never include each other.  Headers of another folder
are named by their path from the project root ("harness/lib/err.h"), those of
the same folder by their bare name.  Below harness/cli nothing prints to the
terminal or exits (harness/lib is libpacer, whose standalone main is the
benchmark binary's own command line).  No source file of the tool is over
MAX_LINES lines and no function over MAX_FUNC lines.

Prints one line per problem and exits 1, or prints a one-line summary.
"""
import os
import re
import sys

MAX_LINES = 800
MAX_FUNC = 100

# Each folder and the folders directly below it.
BELOW = {
    "harness/lib": [],
    "harness/load": ["harness/lib"],
    "harness/result": ["harness/load"],
    "harness/run": ["harness/result"],
    "compare/import": ["harness/result"],
    "compare": ["compare/import"],
    "compare/report": ["compare"],
    "plots": ["compare/report"],
    "site": ["plots"],
    "harness/cli": ["harness/run", "site"],
}
# Code that may speak to the terminal and exit.
SPEAKS = ("harness/cli", "harness/lib")


def below(folder, seen=None):
    """Every folder below folder (transitively)."""
    seen = set() if seen is None else seen
    for b in BELOW[folder]:
        if b not in seen:
            seen.add(b)
            below(b, seen)
    return seen


def sources():
    for root in ("harness", "compare", "plots", "site"):
        for d, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(d, f)


def strip_comments(text):
    """The text with comments and string literals blanked (lines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text[i] == '"' or text[i] == "'":
            q, j = text[i], i + 1
            while j < n and text[j] != q:
                j += 2 if text[j] == "\\" else 1
            out.append(q + " " * (j - i - 1) + q)
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def functions(lines):
    """(name, first line, length) of every function defined at column 0."""
    i = 0
    while i < len(lines):
        if lines[i] == "{" and i > 0:
            j = i - 1
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].startswith(("}", "#")) \
                    and not lines[j - 1].rstrip().endswith((";", "*/")):
                j -= 1
            m = re.search(r"(\w+)\s*\(", " ".join(lines[j:i]))
            k = i + 1
            while k < len(lines) and lines[k] != "}":
                k += 1
            yield (m.group(1) if m else "?"), j + 1, k - j + 1
            i = k
        i += 1


def main():
    problems, edges = [], 0
    files = list(sources())
    known = set(files)
    for path in files:
        folder = os.path.dirname(path)
        if folder not in BELOW:
            problems.append(f"{path}: folder {folder} is not a layer of tests/layout.py")
            continue
        allowed = below(folder) | {folder}
        text = open(path, encoding="utf-8", errors="replace").read()
        lines = text.split("\n")
        for no, line in enumerate(lines, 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            inc = m.group(1)
            if inc in ("buildinfo.h", "site_assets.h"):    # generated into the build directory
                continue
            if "/" not in inc:
                if os.path.join(folder, inc) not in known:
                    problems.append(f"{path}:{no}: \"{inc}\" is not in {folder}/ "
                                    f"(name other folders' headers from the project root)")
                continue
            if inc not in known:
                problems.append(f"{path}:{no}: \"{inc}\": no such header "
                                f"(paths start at the project root)")
                continue
            target = os.path.dirname(inc)
            if target == folder:
                problems.append(f"{path}:{no}: \"{inc}\" is in the same folder: "
                                f"include it by its bare name")
            elif target not in allowed:
                problems.append(f"{path}:{no}: {folder} includes {target} "
                                f"(\"{inc}\"), which is not below it")
            else:
                edges += 1
        if path.endswith(".c"):
            if len(lines) - 1 > MAX_LINES:
                problems.append(f"{path}: {len(lines) - 1} lines (at most {MAX_LINES})")
            for name, first, length in functions(lines):
                if length > MAX_FUNC:
                    problems.append(f"{path}:{first}: {name}() is {length} lines "
                                    f"(at most {MAX_FUNC})")
        if not folder.startswith(SPEAKS):
            code = strip_comments(text).split("\n")
            for no, line in enumerate(code, 1):
                m = re.search(r"\b(stdout\b|stderr\b|exit\s*\(|abort\s*\()", line)
                if m:
                    problems.append(f"{path}:{no}: {m.group(1).rstrip('( ')}: only harness/cli "
                                    f"prints to the terminal or exits")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"layout ok: {len(BELOW)} layers, {len(files)} files, "
          f"{edges} includes between folders, all downwards")
    return 0


if __name__ == "__main__":
    sys.exit(main())
