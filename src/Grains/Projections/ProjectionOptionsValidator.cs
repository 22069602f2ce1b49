namespace ProductEvents.Grains.Projections;

/// <summary>Checks <see cref="ProjectionOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class ProjectionOptionsValidator : IValidateOptions<ProjectionOptions>;
