using Simlane.Core.Actions;

namespace Simlane.Core.Tests.Actions;

/// <summary>
/// The one delivery state machine: every (state, trigger) pair against a table written out here by hand, every
/// (state, outcome) pair of an attempt, the retry window's edge, the backoff's bounds and the manual retry.
/// </summary>
public class DeliveryPolicyTests
{
    private const long Now = 1_700_000_000_000;
    private const long Minute = 60_000;

    private static readonly DeliveryPolicy Policy = new(RetryWindowMinutes: 60, InitialBackoffSeconds: 10, MaxBackoffSeconds: 300);

    public static TheoryData<string, DeliveryTrigger, DeliveryRule> Expected()
    {
        const DeliveryRule R = DeliveryRule.Refuse;
        var rows = new Dictionary<string, DeliveryRule[]>
        {
            // succeeded, transient, failed, retry requested
            [DeliveryStates.Scheduled] = [DeliveryRule.Succeed, DeliveryRule.BackoffOrDead, DeliveryRule.Fail, R],
            [DeliveryStates.Succeeded] = [R, R, R, R],
            [DeliveryStates.Failed] = [R, R, R, DeliveryRule.ScheduleNow],
            [DeliveryStates.Dead] = [R, R, R, DeliveryRule.ScheduleNow],
            [DeliveryStates.Skipped] = [R, R, R, R],
            ["SCHEDULED"] = [R, R, R, R],
            [""] = [R, R, R, R],
        };
        var data = new TheoryData<string, DeliveryTrigger, DeliveryRule>();
        foreach (var (state, rules) in rows)
        {
            foreach (var trigger in Enum.GetValues<DeliveryTrigger>())
            {
                data.Add(state, trigger, rules[(int)trigger]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void Every_state_and_trigger_has_the_expected_rule(string state, DeliveryTrigger trigger, DeliveryRule rule) =>
        DeliveryPolicy.Rule(state, trigger).ShouldBe(rule);

    [Fact]
    public void The_table_covers_every_state_and_trigger()
    {
        DeliveryStates.All.ShouldBe(["scheduled", "succeeded", "failed", "dead", "skipped"]);
        Expected().Count(row => DeliveryStates.All.Contains((string)row[0])).ShouldBe(DeliveryStates.All.Count * Enum.GetValues<DeliveryTrigger>().Length);
    }

    [Theory]
    [InlineData(ActionOutcomeKind.Succeeded, DeliveryTrigger.AttemptSucceeded)]
    [InlineData(ActionOutcomeKind.Retry, DeliveryTrigger.AttemptTransient)]
    [InlineData(ActionOutcomeKind.Failed, DeliveryTrigger.AttemptFailed)]
    public void Each_outcome_is_its_trigger(ActionOutcomeKind outcome, DeliveryTrigger trigger) =>
        DeliveryPolicy.TriggerOf(outcome).ShouldBe(trigger);

    [Fact]
    public void An_unknown_outcome_is_refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => DeliveryPolicy.TriggerOf((ActionOutcomeKind)99));

    public static TheoryData<string, ActionOutcomeKind> NotAttempted()
    {
        var data = new TheoryData<string, ActionOutcomeKind>();
        foreach (var state in DeliveryStates.All.Where(s => s != DeliveryStates.Scheduled).Append("unknown"))
        {
            foreach (var outcome in Enum.GetValues<ActionOutcomeKind>())
            {
                data.Add(state, outcome);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NotAttempted))]
    public void Only_a_scheduled_delivery_has_a_step_after_an_attempt(string state, ActionOutcomeKind outcome) =>
        Policy.AfterAttempt(state, outcome, 1, Now, Now, null, 0.5).ShouldBeNull();

    [Fact]
    public void A_success_completes_the_delivery_now() =>
        Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Succeeded, 3, Now - (10 * Minute), Now, null, 0.5)
            .ShouldBe(new DeliveryStep(DeliveryStates.Succeeded, null, Now));

    [Fact]
    public void A_permanent_failure_completes_the_delivery_as_failed_even_inside_the_window() =>
        Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Failed, 1, Now, Now, null, 0.5)
            .ShouldBe(new DeliveryStep(DeliveryStates.Failed, null, Now));

    [Fact]
    public void A_success_after_the_window_still_succeeds() =>
        Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Succeeded, 9, Now - (600 * Minute), Now, null, 0.5)!.Value.State
            .ShouldBe(DeliveryStates.Succeeded);

    [Theory]
    [InlineData(0.0, 5_000)]
    [InlineData(0.5, 7_500)]
    [InlineData(1.0, 10_000)]
    public void A_transient_failure_inside_the_window_is_scheduled_after_the_backoff(double random, long delayMs)
    {
        var step = Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Retry, 1, Now, Now, null, random)!.Value;

        step.ShouldBe(new DeliveryStep(DeliveryStates.Scheduled, Now + delayMs, null));
        step.Finished.ShouldBeFalse();
    }

    [Fact]
    public void A_transient_failure_one_millisecond_before_the_window_ends_is_retried() =>
        Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Retry, 5, Now - (60 * Minute) + 1, Now, null, 0)!.Value.State
            .ShouldBe(DeliveryStates.Scheduled);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(600 * Minute)]
    public void A_transient_failure_at_or_after_the_window_end_is_dead(long late)
    {
        var step = Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Retry, 5, Now - (60 * Minute) - late, Now, TimeSpan.FromSeconds(5), 0.5)!.Value;

        step.ShouldBe(new DeliveryStep(DeliveryStates.Dead, null, Now));
        step.Finished.ShouldBeTrue();
    }

    [Fact]
    public void Without_a_window_start_the_attempt_begins_the_window()
    {
        Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Retry, 1, null, Now, null, 0)!.Value.State.ShouldBe(DeliveryStates.Scheduled);
        (Policy with { RetryWindowMinutes = 0 }).AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Retry, 1, null, Now, null, 0)!.Value
            .ShouldBe(new DeliveryStep(DeliveryStates.Dead, null, Now));
    }

    [Theory]
    [InlineData(int.MinValue, 10)]
    [InlineData(-5, 10)]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 160)]
    [InlineData(6, 300)]
    [InlineData(7, 300)]
    [InlineData(31, 300)]
    [InlineData(int.MaxValue, 300)]
    public void The_backoff_doubles_from_the_initial_delay_up_to_the_cap(int attempts, int fullSeconds)
    {
        Policy.Backoff(attempts, 0).ShouldBe(TimeSpan.FromSeconds(fullSeconds / 2.0));
        Policy.Backoff(attempts, 1).ShouldBe(TimeSpan.FromSeconds(fullSeconds));
    }

    [Fact]
    public void The_backoff_stays_within_half_and_all_of_the_full_delay_and_never_shrinks()
    {
        var previous = TimeSpan.Zero;
        for (var attempts = 1; attempts <= 40; attempts++)
        {
            var full = TimeSpan.FromSeconds(Math.Min(300, 10 * Math.Pow(2, Math.Min(attempts - 1, DeliveryPolicy.MaxDoublings))));
            foreach (var random in new[] { 0, 0.001, 0.25, 0.5, 0.999, 0.999999 })
            {
                var delay = Policy.Backoff(attempts, random);
                delay.ShouldBeGreaterThanOrEqualTo(full / 2);
                delay.ShouldBeLessThanOrEqualTo(full);
            }

            Policy.Backoff(attempts, 0.5).ShouldBeGreaterThanOrEqualTo(previous);
            previous = Policy.Backoff(attempts, 0.5);
        }
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(2, 10)]
    [InlineData(double.NaN, 5)]
    public void A_random_number_out_of_range_stays_within_the_bounds(double random, double seconds) =>
        Policy.Backoff(1, random).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void The_defaults_are_24_hours_30_seconds_and_1_hour()
    {
        DeliveryPolicy.Default.ShouldBe(new DeliveryPolicy(1440, 30, 3600));
        DeliveryPolicy.Default.Backoff(1, 1).ShouldBe(TimeSpan.FromSeconds(30));
        DeliveryPolicy.Default.Backoff(100, 1).ShouldBe(TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData(null, 0.0, 5)]
    [InlineData(3, 0.0, 5)]
    [InlineData(8, 0.0, 8)]
    [InlineData(8, 1.0, 10)]
    [InlineData(299, 0.0, 299)]
    [InlineData(3600, 0.0, 300)]
    public void A_longer_retry_after_wins_up_to_the_cap(int? retryAfterSeconds, double random, double seconds)
    {
        var retryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;

        Policy.RetryDelay(1, retryAfter, random).ShouldBe(TimeSpan.FromSeconds(seconds));
        Policy.AfterAttempt(DeliveryStates.Scheduled, ActionOutcomeKind.Retry, 1, Now, Now, retryAfter, random)!.Value.NextAttemptTime
            .ShouldBe(Now + (long)(seconds * 1000));
    }

    [Theory]
    [InlineData("dead")]
    [InlineData("failed")]
    public void A_dead_or_failed_delivery_can_be_retried_now_with_a_fresh_window(string state)
    {
        DeliveryPolicy.IsRetryable(state).ShouldBeTrue();
        DeliveryPolicy.Retry(state, Now).ShouldBe(new DeliveryStep(DeliveryStates.Scheduled, Now, null, RestartRetryWindow: true));
    }

    [Theory]
    [InlineData("scheduled")]
    [InlineData("succeeded")]
    [InlineData("skipped")]
    [InlineData("Dead")]
    [InlineData("")]
    public void No_other_delivery_can_be_retried(string state)
    {
        DeliveryPolicy.IsRetryable(state).ShouldBeFalse();
        DeliveryPolicy.Retry(state, Now).ShouldBeNull();
    }

    [Fact]
    public void A_planned_action_is_scheduled_for_its_due_time() =>
        DeliveryPolicy.Planned(Now + Minute, Now).ShouldBe(new DeliveryStep(DeliveryStates.Scheduled, Now + Minute, null));

    [Fact]
    public void A_never_action_is_skipped_and_complete_at_once()
    {
        var step = DeliveryPolicy.Planned(null, Now);

        step.ShouldBe(new DeliveryStep(DeliveryStates.Skipped, null, Now));
        step.Finished.ShouldBeTrue();
        DeliveryPolicy.Rule(step.State, DeliveryTrigger.AttemptSucceeded).ShouldBe(DeliveryRule.Refuse);
    }

    [Fact]
    public void The_defaults_are_in_range() => DeliveryPolicy.Default.OutOfRange().ShouldBeEmpty();

    [Theory]
    [InlineData(-1, 30, 3600, "RetryWindowMinutes", -1, 0, 525600)]
    [InlineData(525601, 30, 3600, "RetryWindowMinutes", 525601, 0, 525600)]
    [InlineData(1440, 0, 3600, "InitialBackoffSeconds", 0, 1, 86400)]
    [InlineData(1440, 86401, 86401, "InitialBackoffSeconds", 86401, 1, 86400)]
    [InlineData(1440, 60, 59, "MaxBackoffSeconds", 59, 60, 86400)]
    [InlineData(1440, 30, 86401, "MaxBackoffSeconds", 86401, 30, 86400)]
    public void Limits_out_of_range_are_named(int window, int initial, int max, string name, int value, int min, int maxAllowed) =>
        new DeliveryPolicy(window, initial, max).OutOfRange().ShouldContain((name, value, min, maxAllowed));

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(525600, 86400, 86400)]
    public void Limits_at_the_bounds_are_in_range(int window, int initial, int max) =>
        new DeliveryPolicy(window, initial, max).OutOfRange().ShouldBeEmpty();
}
