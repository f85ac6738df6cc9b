// cairn: the command-line face of Cairn. Subcommands live in their own files.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Cairn: plan and run a decentralized medical-image archive.", "cairn"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("cairn ") + CAIRN_ENGINE_VERSION);
  int exit_code = 0;
  cairn::cli::add_layout_command(app, &exit_code);
  cairn::cli::add_bench_command(app, &exit_code);
#ifdef CAIRN_WITH_CLUSTER
  cairn::cli::add_lab_command(app, &exit_code);
  cairn::cli::add_cluster_commands(app, &exit_code);
  cairn::cli::add_retention_command(app, &exit_code);
  cairn::cli::add_snapshot_command(app, &exit_code);
  cairn::cli::add_mount_command(app, &exit_code);
  cairn::cli::add_cluster_bench_commands(*app.get_subcommand("bench"), &exit_code);
  cairn::cli::add_lifecycle_bench_command(*app.get_subcommand("bench"), &exit_code);
#endif
#ifdef CAIRN_WITH_SIM
  cairn::cli::add_durability_command(app, &exit_code);
  cairn::cli::add_plan_command(app, &exit_code);
  cairn::cli::add_sweep_command(app, &exit_code);
#endif
#if defined(CAIRN_WITH_SIM) && defined(CAIRN_WITH_CLUSTER)
  cairn::cli::add_calibrate_command(*app.get_subcommand("lab"), &exit_code);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, exit code 2, for every kind of bad argument.
    std::cerr << "cairn: error: " << e.what() << " (see cairn --help)\n";
    return 2;
  }
  return exit_code;
}

namespace cairn::cli {

int usage_error(const std::string& command, const std::string& message) {
  std::cerr << "cairn " << command << ": error: " << message << "\n";
  return 2;
}

}  // namespace cairn::cli
