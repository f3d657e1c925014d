namespace AffectFuse.Faces;

/// <summary>Follows one person of the tracks every face has (<c>--face largest|left|right</c>): the person the selection
/// picks when nobody is followed, kept while the tracker keeps them, and given up for a new pick only once they have been
/// missing for <see cref="FaceTrackerOptions.LostAfterFrames"/> frames, so a passer-by cannot take over.</summary>
/// <remarks>A filter over <see cref="FaceTracker"/>'s person tracks rather than a tracker of its own, so one face
/// followed and every face followed see the same detections, the same who-is-who and the same rows: on a one-face video
/// they are bit for bit the same. The followed face is always person 1, whoever it is, as one stream.</remarks>
internal sealed class PersonFilter(FaceTrackerOptions options)
{
    private int? _followed;
    private int _lastSeen;

    /// <summary>The followed person's face in <paramref name="frame"/> (as person 1), or no one.</summary>
    public TrackedPeopleFrame Apply(TrackedPeopleFrame frame)
    {
        var face = Follow(frame.Persons, frame.Frame.Index, frame.Frame.Image.Width);
        return new TrackedPeopleFrame(frame.Frame, face is null ? [] : [face with { Person = 1 }]);
    }

    private TrackedFace? Follow(IReadOnlyList<TrackedFace> persons, int frameIndex, int frameWidth)
    {
        if (_followed is { } id)
        {
            if (persons.FirstOrDefault(p => p.Person == id) is { } seen)
            {
                _lastSeen = frameIndex;
                return seen;
            }
            if (frameIndex - _lastSeen <= options.LostAfterFrames)
                return null;
            _followed = null;
        }
        var chosen = Select(persons, options.Selection, frameWidth);
        if (chosen is not null)
            (_followed, _lastSeen) = (chosen.Person, frameIndex);
        return chosen;
    }

    /// <summary>The person a new follow starts on. Left/right: with two or more faces the outermost on that side; a lone
    /// face only if its centre lies in that half of the frame (it may be the other person).</summary>
    private static TrackedFace? Select(IReadOnlyList<TrackedFace> persons, FaceSelection selection, int frameWidth)
    {
        if (persons.Count == 0)
            return null;
        switch (selection)
        {
            case FaceSelection.Largest:
                return persons.MaxBy(p => p.Face!.Area);
            case FaceSelection.Left:
                var left = persons.MinBy(p => p.Face!.Centre.X)!;
                return persons.Count > 1 || left.Face!.Centre.X < frameWidth / 2f ? left : null;
            case FaceSelection.Right:
                var right = persons.MaxBy(p => p.Face!.Centre.X)!;
                return persons.Count > 1 || right.Face!.Centre.X >= frameWidth / 2f ? right : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(selection), selection, null);
        }
    }
}
