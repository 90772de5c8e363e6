using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MimeKit;

namespace Simlane.Server.Tests.Actions;

/// <summary>
/// A real SMTP server in its own process (smtp_sink.py on Debian's python3-aiosmtpd) that saves every
/// message it accepts, so tests read what arrived. Recipients starting with <c>reject</c> get 550, with
/// <c>busy</c> 451.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process process;
    private readonly StringBuilder errors = new();

    private SmtpSink(Process process, string directory)
    {
        this.process = process;
        Directory = directory;
    }

    public string Directory { get; }

    public int Port { get; private set; }

    /// <summary>Starts the server; with <paramref name="credentials"/> (<c>user:password</c>) it requires AUTH.</summary>
    public static async Task<SmtpSink> StartAsync(string? credentials = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Actions", "smtp_sink.py");
        File.Exists(script).ShouldBeTrue($"{script} is missing");
        File.Exists(Python).ShouldBeTrue("python3 is missing; scripts/test installs python3-aiosmtpd");
        var directory = Path.Combine(Path.GetTempPath(), "simlane-smtp", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { script, "--dir", directory },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (credentials is not null)
        {
            start.ArgumentList.Add("--auth");
            start.ArgumentList.Add(credentials);
        }

        var sink = new SmtpSink(Process.Start(start)!, directory);
        sink.process.ErrorDataReceived += (_, e) =>
        {
            lock (sink.errors)
            {
                sink.errors.AppendLine(e.Data);
            }
        };
        sink.process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await sink.process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            await sink.DisposeAsync();
            throw new InvalidOperationException($"the SMTP sink did not start (is python3-aiosmtpd installed?): {line} {sink.Errors}");
        }

        sink.Port = int.Parse(line["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return sink;
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <summary>Every message accepted so far, oldest first.</summary>
    public IReadOnlyList<ReceivedMail> Messages() => System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal)
        .Select(eml =>
        {
            var envelope = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(eml, ".json")))!;
            return new ReceivedMail(
                MimeMessage.Load(eml),
                envelope["mailFrom"]!.GetValue<string>(),
                envelope["rcptTos"]!.AsArray().Select(r => r!.GetValue<string>()).ToList());
        })
        .ToList();

    /// <summary>A port on 127.0.0.1 where nothing listens: an SMTP server that is down.</summary>
    public static int ClosedPort() => Simlane.TestSupport.LoopbackPorts.FreeTcpPort();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5_000))
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
        }

        process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>One message as the SMTP server received it, with its envelope.</summary>
public sealed record ReceivedMail(MimeMessage Message, string MailFrom, IReadOnlyList<string> Recipients)
{
    public string Body => Message.TextBody ?? "";
}
