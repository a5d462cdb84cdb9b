using Microsoft.Extensions.DependencyInjection;

namespace Audiobook.AppHost.LocalAws;

/// <summary>
/// A dashboard command on the emulator: drop every local bucket, table and secret, then run the
/// provisioning steps again (aws/data.yaml; in the production-like profile, the service stack's roles
/// too) and restart the services (the API caches the secrets it read at start-up); done when every
/// restarted service is healthy.
/// Both emulators keep their data in memory, so restarting the emulator is the reset.
/// </summary>
public static class ResetDataCommand
{
    public const string Name = "reset-data";

    public static IResourceBuilder<IResourceWithEndpoints> WithResetDataCommand(
        this IResourceBuilder<IResourceWithEndpoints> aws,
        IReadOnlyList<ExecutableResource> steps,
        IReadOnlyList<IResource> services) =>
        aws.WithCommand(
            Name,
            "Reset local data",
            async context =>
            {
                var commands = context.Services.GetRequiredService<ResourceCommandService>();
                var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
                var token = context.CancellationToken;

                var emulator = await RestartEmulatorAsync(aws.Resource, commands, notifications, token);
                if (!emulator.Success)
                {
                    return emulator;
                }

                foreach (var step in steps)
                {
                    var startedAt = DateTime.UtcNow;
                    var started = await commands.ExecuteCommandAsync(step, KnownResourceCommands.StartCommand, token);
                    if (!started.Success)
                    {
                        return started;
                    }
                    var finished = await notifications.WaitForResourceAsync(
                        step.Name,
                        e => e.Snapshot.State?.Text == KnownResourceStates.Finished
                            && e.Snapshot.StartTimeStamp >= startedAt.AddSeconds(-1),
                        token);
                    if (finished.Snapshot.ExitCode is not 0)
                    {
                        return CommandResults.Failure($"{step.Name} failed (exit code {finished.Snapshot.ExitCode}); see its log.");
                    }
                }

                foreach (var service in services)
                {
                    var restartedAt = DateTime.UtcNow;
                    var restarted = await commands.ExecuteCommandAsync(service, KnownResourceCommands.RestartCommand, token);
                    if (!restarted.Success)
                    {
                        return restarted;
                    }
                    // The restart command returns before the new process runs (until then the snapshot can
                    // still show the old one's exit): the service is back when the new process is healthy.
                    await notifications.WaitForResourceAsync(
                        service.Name,
                        e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.StartTimeStamp >= restartedAt.AddSeconds(-1),
                        token);
                    await notifications.WaitForResourceHealthyAsync(service.Name, token);
                }
                return CommandResults.Success();
            },
            new CommandOptions
            {
                Description = "Drops all local buckets, tables and secrets, re-deploys aws/data.yaml and restarts the API.",
                ConfirmationMessage = "Delete all local audiobook data (accounts, books, audio, progress)?",
                IconName = "ArrowReset",
            });

    /// <summary>
    /// Stop, then start until healthy: the stopped emulator can hold its port for a moment, and a
    /// start in that moment fails — so a failed start is retried, a few times, after a pause.
    /// </summary>
    private static async Task<ExecuteCommandResult> RestartEmulatorAsync(
        IResource emulator, ResourceCommandService commands, ResourceNotificationService notifications, CancellationToken token)
    {
        var stopped = await commands.ExecuteCommandAsync(emulator, KnownResourceCommands.StopCommand, token);
        if (!stopped.Success)
        {
            return stopped;
        }
        for (var attempt = 1; ; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(attempt), token);
            var started = await commands.ExecuteCommandAsync(emulator, KnownResourceCommands.StartCommand, token);
            if (!started.Success)
            {
                return started;
            }
            try
            {
                await notifications.WaitForResourceHealthyAsync(emulator.Name, token);
                return CommandResults.Success();
            }
            catch (Exception ex) when (attempt < 3 && ex is not OperationCanceledException)
            {
                // Failed to start: wait a little longer and try again.
            }
        }
    }
}
