// Running the `cairn` command on a test's lab (tests built with
// CAIRN_CLI_BIN, the cairn executable): its exit code and what it printed,
// echoed into the test's log.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "lab_fixture.h"

namespace cairn::testing {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `cairn ARGS --cluster LAB` (ARGS already quoted for the shell).
inline CliRun cairn_cli(const LabCluster& lab, const std::string& args) {
  const std::string out_file = (lab.spec().dir / "cli-output.txt").string();
  const std::string command = std::string(CAIRN_CLI_BIN) + " " + args + " --cluster " +
                              lab.cluster_file().string() + " > " + out_file + " 2>&1";
  CliRun run;
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out_file);
  std::stringstream text;
  text << in.rdbuf();
  run.output = text.str();
  std::printf("$ cairn %s\n%s(exit %d)\n", args.c_str(), run.output.c_str(), run.exit_code);
  return run;
}

}  // namespace cairn::testing
