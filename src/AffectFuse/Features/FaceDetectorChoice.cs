namespace AffectFuse.Features;

/// <summary>Which BlazeFace network the pipeline runs (<c>--detector</c>).</summary>
public enum FaceDetectorChoice
{
    /// <summary>The 128-px front model while the followed face is large enough for it, the 256-px back model otherwise
    /// and whenever the front model finds nothing (<see cref="AdaptiveFaceDetector"/>). Back-model recall at close to
    /// front-model cost on close-up video. Used with <see cref="Faces.FaceSelection.Largest"/> and
    /// <see cref="Faces.FaceSelection.All"/> (every face: the front model only while every face is large enough for it,
    /// with a back-model look every 5th run for faces that walk in); left/right selection runs the back model.</summary>
    Auto,
    /// <summary>Always the 256-px back model (finds small, distant faces; about 8 ms a run here).</summary>
    Back,
    /// <summary>Always the 128-px front model (close-up faces only; about 1.5 ms a run here).</summary>
    Front,
    /// <summary>The 256-px back model to find faces, then the 128-px front model on a square 2.5 face widths wide around
    /// each face found, for as long as it finds every one there again (<see cref="RegionFaceDetector"/>): front-model cost
    /// whatever the faces' size, the front model seeing a small face as large as a close-up. The largest face's square
    /// with one face followed; every face's (up to three) with <see cref="Faces.FaceSelection.All"/>, with a back-model
    /// look every 5th run for faces that walk in.</summary>
    Region,
}
