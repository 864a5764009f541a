#!/bin/sh
# tests/ci_recipes.sh: README's CI recipes run as written, their shell steps
# taken from README.md (the GitHub Actions and GitLab CI jobs of the paired
# A/B gate, and the stored-baseline recipe), in a scratch clone of this
# repository with a bare repository as its remote: a base commit, and a new
# one whose fnv1a hashes its input twice (a regression).  `gh` and `curl`
# are replaced by commands that record what they are asked (no forge is
# reachable here).  The suite is shortened as tests/test_readme.c shortens
# it (two benchmarks, few pairs).  Checks: each gate exits 1 and says which
# benchmark regressed, the comment is posted once and edited on the next
# push; the baseline branch is made, then updated, and a pull request's run
# is compared with it.  Run from anywhere; it builds the scratch clone's
# base and new commits (MAKEFLAGS=-j2).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d /tmp/pacer-ci-recipes-XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$TMP"' EXIT
export MAKEFLAGS=-j2
SHORT="--filter 'fnv1a/size=(64|1024)\$' --pairs 24 --processes 6 --no-confirm"
RUNSHORT="--filter 'fnv1a/size=(64|1024)\$' --samples 5 --processes 2"
fail() { echo "ci_recipes: FAILED: $*" >&2; exit 1; }

# The recipes' steps, from README.md: the `run: |` bodies of the GitHub
# workflow, the `script:` items of the GitLab job, and the sh blocks of the
# stored baseline (the one storing it on main, the one comparing with it).
/usr/bin/python3 - "$ROOT/README.md" "$TMP" <<'EOF'
import re, sys
readme, out = open(sys.argv[1]).read(), sys.argv[2]
blocks = re.findall(r"```(\w*)\n(.*?)```", readme, re.S)
gh = next(b for k, b in blocks if k == "yaml" and "# .github/workflows/bench.yml" in b)
gl = next(b for k, b in blocks if k == "yaml" and "# .gitlab-ci.yml" in b)
store = next(b for k, b in blocks if k == "sh" and "push origin HEAD:pacer-baseline" in b)
cmp = next(b for k, b in blocks if k == "sh" and "git show origin/pacer-baseline:main.json" in b)
steps, lines, cur = [], gh.splitlines(), None
for i, line in enumerate(lines):
    m = re.match(r"^(\s*)(- )?run: (.*)$", line)
    if m and m.group(3).strip() != "|":
        steps.append(m.group(3).strip())
    elif m:
        ind, body = len(m.group(1)) + 2, []
        for l in lines[i + 1:]:
            if l.strip() and len(l) - len(l.lstrip()) < ind:
                break
            body.append(l.strip())
        steps.append("\n".join(body))
for k, step in enumerate(steps):
    open("%s/github.%02d.sh" % (out, k), "w").write(step + "\n")
items = re.findall(r"^    - (.*)$", gl, re.M)
open(out + "/gitlab.sh", "w").write("\n".join(items) + "\n")
open(out + "/store.sh", "w").write(store)
open(out + "/compare.sh", "w").write(cmp)
EOF
cat "$TMP"/github.*.sh | grep -q 'gh pr comment' || fail "no comment step in the GitHub recipe"
grep -q 'curl' "$TMP/gitlab.sh" || fail "no comment step in the GitLab recipe"

# gh and curl that record their arguments: gh's --edit-last fails until a
# comment was posted, as GitHub's does.
mkdir "$TMP/bin"
cat > "$TMP/bin/gh" <<EOF
#!/bin/sh
echo "gh \$*" >> "$TMP/forge.log"
case " \$* " in *" --edit-last "*) [ -e "$TMP/commented" ] || exit 1 ;; esac
touch "$TMP/commented"
EOF
cat > "$TMP/bin/curl" <<EOF
#!/bin/sh
echo "curl \$*" >> "$TMP/forge.log"
EOF
chmod +x "$TMP/bin/gh" "$TMP/bin/curl"
PATH="$TMP/bin:$PATH"

# The scratch repository: base = this commit, new = fnv1a twice as slow;
# a bare remote holds both.
git clone -q "$ROOT" "$TMP/work"
cd "$TMP/work"
git config user.email ci@example.invalid && git config user.name ci
BASE=$(git rev-parse HEAD)
sed -i 's|uint64_t h = fnv1a64(b->src, n);|uint64_t h = fnv1a64(b->src, n) + fnv1a64(b->src + 1, n - 1);|' \
  suites/micro/hash.c
grep -q 'fnv1a64(b->src + 1, n - 1)' suites/micro/hash.c || fail "cannot slow fnv1a"
git commit -qam "slower fnv1a"
git init -q --bare "$TMP/remote.git"
git remote set-url origin "$TMP/remote.git"
git push -q origin HEAD:refs/heads/main

# Shorten the suite as test_readme does, and fill in what the forge gives.
shorten() {
  sed -e 's#^sudo ##' -e "s#^suites/default.json --out#suites/default.json $SHORT --out#" \
      -e "s#suites/default.json \\\\\$#suites/default.json $SHORT \\\\#" \
      -e "s#ab --base-build \(.*\) suites/default.json --out#ab --base-build \1 suites/default.json $SHORT --out#" \
      -e "s#pacer run suites/default.json#pacer run suites/default.json $RUNSHORT#" "$1"
}

echo "ci_recipes: GitHub Actions job (twice: a second push edits the comment)"
for push in 1 2; do
  rm -rf ../base; git worktree prune
  export GITHUB_ENV="$TMP/github.env"; : > "$GITHUB_ENV"
  # each step in a shell of its own, with what earlier steps put in
  # GITHUB_ENV, as Actions runs them; the last step is the gate
  code=0
  for step in "$TMP"/github.*.sh; do
    shorten "$step" | sed -e "s|\${{ github.event.pull_request.base.sha }}|$BASE|g" \
      -e 's|${{ github.event.number }}|7|g' > "$TMP/step.run"
    code=0
    (set -a; . "$GITHUB_ENV"; set +a; sh -e "$TMP/step.run") >> "$TMP/github.out" 2>&1 || code=$?
    [ "$code" -eq 0 ] || [ "$step" = "$(ls "$TMP"/github.*.sh | tail -1)" ] ||
      { cat "$TMP/github.out"; fail "GitHub step $(basename "$step") exited $code"; }
  done
  [ "$code" -eq 1 ] || { cat "$TMP/github.out"; fail "GitHub gate exited $code, not 1"; }
  grep -q 'PACER_EXIT=1' "$GITHUB_ENV" || fail "the gate's exit code was not kept"
  grep -q 'regressed' ab.md || fail "ab.md does not say regressed"
done
[ "$(grep -c '^gh pr comment 7 --body-file ab.md' "$TMP/forge.log")" -eq 1 ] ||
  fail "not one new comment: $(cat "$TMP/forge.log")"
[ "$(grep -c -- '--edit-last' "$TMP/forge.log")" -eq 2 ] || fail "the second push did not edit"

echo "ci_recipes: GitLab CI job"
rm -rf ../base ab.md ab.json ab.exit; git worktree prune
shorten "$TMP/gitlab.sh" > "$TMP/gitlab.run"
grep -q -- "--pairs 24" "$TMP/gitlab.run" || fail "the GitLab ab line was not shortened"
code=0
CI_MERGE_REQUEST_DIFF_BASE_SHA=$BASE CI_API_V4_URL=http://gitlab.invalid/api/v4 \
  CI_PROJECT_ID=3 CI_MERGE_REQUEST_IID=9 PACER_TOKEN=t \
  sh -e "$TMP/gitlab.run" > "$TMP/gitlab.out" 2>&1 || code=$?
[ "$code" -eq 1 ] || { cat "$TMP/gitlab.out"; fail "GitLab gate exited $code, not 1"; }
grep -q 'merge_requests/9/notes' "$TMP/forge.log" || fail "no merge request note"

echo "ci_recipes: stored baseline (made, updated, compared with)"
rm -rf ../base ../baseline; git worktree prune
git checkout -q "$BASE"
make -s all > /dev/null
for run in 1 2; do
  rm -rf ../baseline; git worktree prune
  shorten "$TMP/store.sh" > "$TMP/store.run"
  sh -e "$TMP/store.run" > "$TMP/store.out" 2>&1 || { cat "$TMP/store.out"; fail "store $run"; }
done
[ "$(git --git-dir="$TMP/remote.git" rev-list --count pacer-baseline)" -eq 2 ] ||
  fail "the baseline branch does not hold two runs"
git checkout -q main 2>/dev/null || git checkout -q -
make -s all > /dev/null
shorten "$TMP/compare.sh" > "$TMP/compare.run"
sh -e "$TMP/compare.run" > "$TMP/compare.out" 2>&1 || true
grep -q '### pacer compare' compare.md || { cat "$TMP/compare.out"; fail "no comparison"; }
grep -q 'fnv1a/size=1024' compare.md || fail "the comparison misses the benchmark"
echo "ci_recipes: all recipes ran as written"
