#!/usr/bin/env bash
# Fails when code under the given engine directory reaches for I/O, a clock, a
# thread or a global random source (DESIGN.md rule 1): SimGrid, Qt, Asio, FUSE,
# sockets, <filesystem>, <fstream>, <thread>, clock reads, std::random_device.
set -u
dir=${1:?usage: check_engine_purity.sh ENGINE_DIR}
[ -d "$dir" ] || { echo "check_engine_purity: no directory $dir" >&2; exit 2; }

rules=(
  'include[[:space:]]*[<"]simgrid/|SimGrid'
  'include[[:space:]]*[<"](Qt[A-Za-z]*/|Q[A-Z][A-Za-z]+[>"])|Qt'
  'include[[:space:]]*[<"](boost/asio|asio)|Asio'
  'include[[:space:]]*[<"](fuse|fuse3/)|FUSE'
  'include[[:space:]]*[<"](sys/socket\.h|netinet/|arpa/inet\.h|netdb\.h|sys/un\.h)|sockets'
  'include[[:space:]]*<filesystem>|<filesystem>'
  'include[[:space:]]*<fstream>|<fstream>'
  'include[[:space:]]*<(thread|pthread\.h)>|threads'
  '(_clock::now|clock_gettime|gettimeofday|std::time[[:space:]]*\(|[^_a-z]time[[:space:]]*\((NULL|nullptr|0)\))|a clock'
  '(std::random_device|[^_a-z]s?rand[[:space:]]*\()|a global random source'
)

found=0
while IFS= read -r -d '' file; do
  for rule in "${rules[@]}"; do
    pattern=${rule%|*}
    what=${rule##*|}
    # Comments may name what is forbidden; code may not use it.
    while IFS= read -r hit; do
      [ -n "$hit" ] || continue
      echo "$hit: engine/ must not use $what"
      found=1
    done < <(grep -nE "$pattern" "$file" | grep -vE '^[0-9]+:[[:space:]]*//' | sed "s|^|$file:|" | cut -d: -f1,2)
  done
done < <(find "$dir" -type f \( -name '*.h' -o -name '*.cc' -o -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)

if [ "$found" -ne 0 ]; then
  echo "check_engine_purity: FAILED for $dir"
  exit 1
fi
echo "check_engine_purity: $dir is free of I/O, clocks, threads and global randomness"
