using AffectFuse.Faces;
using OpenCvSharp;

namespace AffectFuse.Features;

/// <summary>Runs the 256-px back model on the whole frame to find faces, then the cheap 128-px front model on a region
/// around each face it found (<see cref="FaceRegionSearch"/>) for as long as every one is found there again: recall is
/// the back model's (a face not found in its region is looked for again in the whole frame), cost is the front model's
/// once faces are found, whatever their size.</summary>
/// <remarks>With one face followed, only the largest face's region is searched (the one followed). With
/// <paramref name="everyFace"/> (every face followed), every face's region, while there are at most
/// <see cref="MaxRegions"/>; the back model looks again every <see cref="AdaptiveFaceDetector.EveryFaceRescan"/>-th call, so a face that walks
/// in is found within a second at the default detection rate.</remarks>
internal sealed class RegionFaceDetector(IFaceDetector back, IFaceDetector front, bool everyFace = false) : IFaceDetector
{
    /// <summary>Most regions searched instead of one back-model run: a front-model run is about a fifth of a back one.</summary>
    public const int MaxRegions = 3;

    private int _sinceBack;
    private List<FaceDetection> _regions = [];

    /// <summary>Front-model runs so far (one a region searched).</summary>
    public int FrontRuns { get; private set; }

    /// <summary>Back-model runs so far.</summary>
    public int BackRuns { get; private set; }

    /// <summary>Faces in <paramref name="bgr"/>, best first.</summary>
    public IReadOnlyList<FaceDetection> Detect(Mat bgr)
    {
        bool rescan = everyFace && _sinceBack >= AdaptiveFaceDetector.EveryFaceRescan - 1;
        if (!rescan && _regions.Count > 0)
        {
            var found = FaceRegionSearch.Find(front, bgr, _regions, out int runs);
            FrontRuns += runs;
            if (found is not null)
            {
                _sinceBack++;
                _regions = found;
                return found;
            }
        }
        BackRuns++;
        var faces = back.Detect(bgr);
        _sinceBack = 0;
        _regions = Searchable(faces);
        return faces;
    }

    private List<FaceDetection> Searchable(IReadOnlyList<FaceDetection> faces)
    {
        IReadOnlyList<FaceDetection> wanted = everyFace || faces.Count == 0 ? faces : [faces.MaxBy(f => f.Area)!];
        return wanted.Count <= MaxRegions && FaceRegionSearch.CanSearch(wanted) ? [.. wanted] : [];
    }
}
