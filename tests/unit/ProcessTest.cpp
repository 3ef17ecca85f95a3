#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos {
namespace {

TEST(Process, CapturesOutputAndExitCode) {
  auto r = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

// A parent (a CI runner, a test harness) may start us with stdin and stdout
// closed: the files a spawn opens for a child's output then take those
// descriptors, and must still reach the child.
TEST(Process, SpawnsWhenStartedWithStdinAndStdoutClosed) {
  const auto log = std::filesystem::temp_directory_path() / "kchaos-process-closed.log";
  std::filesystem::remove(log);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(0);
    ::close(1);
    int code = 0;
    try {
      if (run_command({"sh", "-c", "echo out"}).out != "out\n") code = 1;
      const pid_t child = spawn_detached({"sh", "-c", "echo detached"}, log);
      while (process_state(child) != ProcessState::gone) std::this_thread::sleep_for(10ms);
    } catch (...) {
      code = 2;
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: output lost, 2: the spawn threw";
  EXPECT_NE(tail_lines(log, 5).find("detached"), std::string::npos);
  std::filesystem::remove(log);
}

TEST(Process, KillsACommandThatRunsTooLong) {
  auto r = run_command({"sleep", "5"}, 100ms);
  EXPECT_TRUE(r.timed_out);
}

TEST(Process, RunCheckedNamesTheCommandAndItsError) {
  try {
    run_checked({"sh", "-c", "echo broken >&2; exit 1"});
    FAIL();
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("broken"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run_checked({"kchaos-no-such-program"}), UserError);
}

TEST(Process, TracksADetachedChildThroughStopAndDeath) {
  auto log = std::filesystem::temp_directory_path() / "kchaos-process-test.log";
  std::filesystem::remove(log);
  pid_t pid = spawn_detached({"sh", "-c", "echo started; exec sleep 30"}, log);
  EXPECT_EQ(process_state(pid), ProcessState::running);
  for (int i = 0; i < 200 && tail_lines(log, 5).find("started") == std::string::npos; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_NE(tail_lines(log, 5).find("started"), std::string::npos);
  // While sh execs sleep, /proc/<pid>/cmdline reads empty for a moment.
  for (int i = 0; i < 200 && process_cmdline(pid).rfind("sleep 30", 0) != 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(process_cmdline(pid), "sleep 30 ");
  ::kill(pid, SIGSTOP);
  for (int i = 0; i < 100 && process_state(pid) != ProcessState::stopped; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(process_state(pid), ProcessState::stopped);
  EXPECT_NE(process_details(pid).find("State T (stopped)"), std::string::npos)
      << process_details(pid);
  EXPECT_EQ(how_it_ended(pid), "");  // not collected yet
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && process_state(pid) != ProcessState::gone; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(process_state(pid), ProcessState::gone);  // reaped, not a zombie
  EXPECT_EQ(how_it_ended(pid), "killed by signal 9 (SIGKILL)");
  std::filesystem::remove(log);
}

TEST(Process, RemembersTheExitCodeOfAReapedChild) {
  auto log = std::filesystem::temp_directory_path() / "kchaos-process-exit-test.log";
  pid_t pid = spawn_detached({"sh", "-c", "exit 7"}, log);
  for (int i = 0; i < 200 && process_state(pid) != ProcessState::gone; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(how_it_ended(pid), "exited with code 7");
  std::filesystem::remove(log);
}

}  // namespace
}  // namespace kchaos
