using System.Net;
using Microsoft.Extensions.Time.Testing;
using Simlane.Radius.Server;

namespace Simlane.Radius.Tests;

public sealed class DuplicateCacheTests
{
    private static readonly IPEndPoint Nas = new(IPAddress.Parse("192.0.2.1"), 40000);
    private static readonly byte[] Authenticator = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    private static DuplicateCache.Key Key(IPEndPoint? source = null, byte code = 4, byte id = 7, byte[]? authenticator = null) =>
        DuplicateCache.Key.For(source ?? Nas, code, id, authenticator ?? Authenticator);

    [Fact]
    public void A_request_in_progress_is_reported_and_an_answered_one_returns_its_reply_until_the_window_ends()
    {
        var clock = new FakeTimeProvider();
        var cache = new DuplicateCache(clock, TimeSpan.FromSeconds(30));

        cache.Begin(Key(), out _).ShouldBe(DuplicateCache.Outcome.New);
        cache.Begin(Key(), out _).ShouldBe(DuplicateCache.Outcome.InProgress);

        byte[] reply = [5, 7, 0, 20];
        cache.Complete(Key(), reply);
        clock.Advance(TimeSpan.FromSeconds(29));
        cache.Begin(Key(), out var cached).ShouldBe(DuplicateCache.Outcome.Answered);
        cached.ShouldBeSameAs(reply);

        clock.Advance(TimeSpan.FromSeconds(1));
        cache.Begin(Key(), out _).ShouldBe(DuplicateCache.Outcome.New); // expired: a new request reusing the key
    }

    [Fact]
    public void Every_part_of_the_key_distinguishes_requests()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(30));
        cache.Begin(Key(), out _).ShouldBe(DuplicateCache.Outcome.New);

        cache.Begin(Key(source: new IPEndPoint(IPAddress.Parse("192.0.2.2"), 40000)), out _).ShouldBe(DuplicateCache.Outcome.New);
        cache.Begin(Key(source: new IPEndPoint(Nas.Address, 40001)), out _).ShouldBe(DuplicateCache.Outcome.New);
        cache.Begin(Key(code: 1), out _).ShouldBe(DuplicateCache.Outcome.New);
        cache.Begin(Key(id: 8), out _).ShouldBe(DuplicateCache.Outcome.New);
        byte[] other = [.. Authenticator];
        other[15] ^= 1;
        cache.Begin(Key(authenticator: other), out _).ShouldBe(DuplicateCache.Outcome.New);
    }

    [Fact]
    public void An_abandoned_request_is_handled_anew_and_expired_entries_are_swept()
    {
        var clock = new FakeTimeProvider();
        var cache = new DuplicateCache(clock, TimeSpan.FromSeconds(30));
        cache.Begin(Key(), out _).ShouldBe(DuplicateCache.Outcome.New);
        cache.Abandon(Key());
        cache.Begin(Key(), out _).ShouldBe(DuplicateCache.Outcome.New);

        cache.Complete(Key(), [1]);
        for (byte id = 100; id < 110; id++)
        {
            cache.Begin(Key(id: id), out _);
            cache.Complete(Key(id: id), [2]);
        }
        cache.Count.ShouldBe(11);
        clock.Advance(TimeSpan.FromMinutes(1));
        cache.Begin(Key(id: 200), out _).ShouldBe(DuplicateCache.Outcome.New);
        cache.Count.ShouldBe(1); // the answered entries were swept; only the new one is left
    }
}
