# Sourced by the benchmarks (with $root set to the repository): the silo and the front door as deploy/docker ships
# them, Release and ReadyToRun (compiled ahead of time for this machine's runtime, so a server does not spend its
# first minute of load compiling). BENCH_NO_BUILD=1 in a script uses what the last publish left here;
# BENCH_SILO_DIR=folder (with BENCH_NO_BUILD=1) runs a silo published elsewhere, such as another commit's, for an A/B.
silo_dir=${BENCH_SILO_DIR:-$root/bench/.publish/silo}
front_door_dir=$root/bench/.publish/front-door

publish_server() { # project-folder (src/Silo, src/FrontDoor) output-folder log-file
  dotnet publish "$root/$1" -c Release -nologo -v q --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
    -o "$2" >"$3" 2>&1 || { cat "$3" >&2; exit 1; }
}
