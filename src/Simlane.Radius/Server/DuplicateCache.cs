using System.Collections.Concurrent;
using System.Net;

namespace Simlane.Radius.Server;

/// <summary>
/// RFC 5080 2.2.2 duplicate detection. A request is identified by (client address, source port, code,
/// identifier, Request Authenticator). While it is handled a retransmission is dropped; once answered, a
/// retransmission gets the same reply bytes again; the entry is forgotten <see cref="Window"/> after the reply.
/// </summary>
public sealed class DuplicateCache
{
    private readonly ConcurrentDictionary<Key, Entry> entries = new();
    private readonly TimeProvider time;
    private long nextSweep;

    public DuplicateCache(TimeProvider time, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        this.time = time;
        Window = window;
    }

    public TimeSpan Window { get; }

    public int Count => entries.Count;

    public readonly record struct Key(IPAddress Address, int Port, byte Code, byte Identifier, UInt128 Authenticator)
    {
        public static Key For(IPEndPoint source, byte code, byte identifier, ReadOnlySpan<byte> authenticator) =>
            new(source.Address, source.Port, code, identifier, System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(authenticator));
    }

    public enum Outcome
    {
        /// <summary>First sight: the caller handles the request and then calls <see cref="Complete"/> or <see cref="Abandon"/>.</summary>
        New,
        /// <summary>Still being handled: drop it.</summary>
        InProgress,
        /// <summary>Answered before: send <c>reply</c> again.</summary>
        Answered,
    }

    private sealed class Entry
    {
        public byte[]? Reply;
        public long ExpiresAt = long.MaxValue; // milliseconds on the TimeProvider's UTC clock; MaxValue while in progress
    }

    /// <summary>Registers a request or reports what is already known about it.</summary>
    public Outcome Begin(Key key, out byte[]? reply)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        while (true)
        {
            if (entries.TryGetValue(key, out var existing))
            {
                byte[]? cached = Volatile.Read(ref existing.Reply);
                if (cached is null)
                {
                    reply = null;
                    return Outcome.InProgress;
                }
                if (Volatile.Read(ref existing.ExpiresAt) > now)
                {
                    reply = cached;
                    return Outcome.Answered;
                }
                // Expired: a new request that happens to reuse the key.
                ((ICollection<KeyValuePair<Key, Entry>>)entries).Remove(new KeyValuePair<Key, Entry>(key, existing));
                continue;
            }
            if (entries.TryAdd(key, new Entry()))
            {
                reply = null;
                return Outcome.New;
            }
        }
    }

    /// <summary>Stores the reply that was sent; retransmissions within the window get it byte for byte.</summary>
    public void Complete(Key key, byte[] reply)
    {
        if (entries.TryGetValue(key, out var entry))
        {
            Volatile.Write(ref entry.ExpiresAt, time.GetUtcNow().Add(Window).ToUnixTimeMilliseconds());
            Volatile.Write(ref entry.Reply, reply);
        }
    }

    /// <summary>Forgets a request that got no reply (the handler failed), so that a retransmission is handled anew.</summary>
    public void Abandon(Key key) => entries.TryRemove(key, out _);

    private void SweepIfDue(long now)
    {
        long due = Interlocked.Read(ref nextSweep);
        if (now < due || Interlocked.CompareExchange(ref nextSweep, now + (long)Math.Max(1, Window.TotalMilliseconds / 2), due) != due)
        {
            return;
        }
        foreach (var (key, entry) in entries)
        {
            if (Volatile.Read(ref entry.Reply) is not null && Volatile.Read(ref entry.ExpiresAt) <= now)
            {
                ((ICollection<KeyValuePair<Key, Entry>>)entries).Remove(new KeyValuePair<Key, Entry>(key, entry));
            }
        }
    }
}
