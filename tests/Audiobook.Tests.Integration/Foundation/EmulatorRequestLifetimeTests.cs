using Audiobook.AppHost.LocalAws;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The local emulator (LocalAws/moto_server.py) lets go of each request when it answers it. An upload part's
/// request holds its whole body (8-64 MiB); kept until the garbage collector's next full pass, a 5 GiB
/// upload held hundreds of them at once and the emulator reached 744 MB.
/// </summary>
public sealed class EmulatorRequestLifetimeTests
{
    [Fact]
    public async Task An_upload_parts_request_and_its_body_are_freed_when_it_is_answered()
    {
        // emulator_request_lifetime.py serves the requests in process, with the garbage collector off, and
        // fails when a request outlives its answer.
        var run = await ProcessRunner.RunAsync(EmulatorChoice.MotoPython ?? "python3",
            ["tests/Audiobook.Tests.Integration/Foundation/emulator_request_lifetime.py", "Audiobook.AppHost/LocalAws"],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("3 requests freed when answered", run.Output, StringComparison.Ordinal);
    }
}
