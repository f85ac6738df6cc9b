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

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs `cairn ARGS` and expects `exit_code`, with `text` in what it printed.
inline void expect_cli(const LabCluster& lab, const std::string& args, int exit_code, const std::string& text) {
  const CliRun run = cairn_cli(lab, args);
  EXPECT_EQ(run.exit_code, exit_code) << "cairn " << args;
  EXPECT_TRUE(contains(run.output, text)) << "cairn " << args << " printed:\n" << run.output;
}

}  // namespace cairn::testing
