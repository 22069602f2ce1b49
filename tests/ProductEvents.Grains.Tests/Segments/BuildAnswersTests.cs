using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class BuildAnswersTests
{
    [Fact]
    public void ABuildHasAllItsAnswersOnlyWhenEveryAnsweredCallsStreamAnswerArrived()
    {
        var answers = new BuildAnswers();
        answers.Reset(3);

        answers.Answered(3, "u/a");
        answers.Answered(3, "u/b");
        Assert.False(answers.AllArrived);
        answers.Arrived(3, "u/a");
        Assert.False(answers.AllArrived);
        answers.Arrived(3, "u/b");

        Assert.True(answers.AllArrived);
    }

    [Fact]
    public void AStreamAnswerArrivingBeforeItsCallAnswersCountsWhenTheCallAnswers()
    {
        var answers = new BuildAnswers();
        answers.Reset(1);

        answers.Arrived(1, "u/a");
        answers.Answered(1, "u/a");

        Assert.True(answers.AllArrived);
    }

    [Fact]
    public void AContactAskedTwiceIsWaitedForUntilBothOfItsAnswersArrived()
    {
        var answers = new BuildAnswers();
        answers.Reset(1);

        answers.Arrived(1, "u/a");
        answers.Arrived(1, "u/a");
        answers.Answered(1, "u/a");
        answers.Answered(1, "u/a");
        answers.Answered(1, "u/a");

        Assert.False(answers.AllArrived);
        answers.Arrived(1, "u/a");
        Assert.True(answers.AllArrived);
    }

    [Fact]
    public void AnswersToAnotherVersionAreIgnored()
    {
        var answers = new BuildAnswers();
        answers.Reset(2);

        answers.Answered(1, "u/a");
        Assert.True(answers.AllArrived);
        answers.Answered(2, "u/a");
        answers.Arrived(1, "u/a");

        Assert.False(answers.AllArrived);
    }

    [Fact]
    public void ALostAnswerIsForgottenWhenItsContactIsAskedAgainAndALateOneHoldsNothingBack()
    {
        var answers = new BuildAnswers();
        answers.Reset(1);
        answers.Answered(1, "u/lost");
        answers.Answered(1, "u/late");
        answers.Answered(1, "u/done");
        answers.Arrived(1, "u/done");

        Assert.Equal(["u/late", "u/lost"], answers.ForgetOutstanding().Order(StringComparer.Ordinal));
        Assert.True(answers.AllArrived);

        // Asked again: both owe an answer. The late first answer arrives, then both second ones.
        answers.Answered(1, "u/lost");
        answers.Answered(1, "u/late");
        answers.Arrived(1, "u/late");
        Assert.False(answers.AllArrived);
        answers.Arrived(1, "u/lost");
        Assert.True(answers.AllArrived);
        answers.Arrived(1, "u/late");
        Assert.True(answers.AllArrived);
        Assert.Empty(answers.ForgetOutstanding());
    }
}
