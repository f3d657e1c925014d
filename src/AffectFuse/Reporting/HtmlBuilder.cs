using System.Net;
using System.Text;

namespace AffectFuse.Reporting;

/// <summary>One table cell: escaped text, optional class and inline style; <see cref="Html"/> is trusted markup
/// built by <see cref="HtmlBuilder"/> itself (never user text).</summary>
internal readonly record struct HtmlCell(string Text, string? Class = null, string? Style = null, bool IsHeader = false, string? Html = null);

/// <summary>Writes XHTML-compatible markup (every tag closed, attributes quoted) so a report is well-formed for any
/// parser; every piece of text and every attribute value passes through <see cref="Escape"/>.</summary>
internal sealed class HtmlBuilder
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly StringBuilder _text = new();
    private readonly Stack<string> _open = new();

    /// <summary>HTML-escapes <paramref name="text"/>; control characters XML cannot carry become U+FFFD.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var clean = new StringBuilder(text.Length);
        foreach (char ch in text)
            clean.Append(ch < 0x20 && ch is not ('\t' or '\n' or '\r') || ch is '\uFFFE' or '\uFFFF' ? '\uFFFD' : ch);
        return WebUtility.HtmlEncode(clean.ToString());
    }

    /// <summary>Opens <paramref name="tag"/> with attributes given as name/value pairs (null values are left out).</summary>
    public HtmlBuilder Open(string tag, params (string Name, string? Value)[] attributes)
    {
        StartTag(tag, attributes);
        _text.Append('>');
        _open.Push(tag);
        return this;
    }

    /// <summary>Closes the innermost open tag.</summary>
    public HtmlBuilder Close()
    {
        _text.Append("</").Append(_open.Pop()).Append('>');
        return this;
    }

    /// <summary>An element holding escaped <paramref name="text"/>.</summary>
    public HtmlBuilder Element(string tag, string? text, params (string Name, string? Value)[] attributes)
        => Open(tag, attributes).Text(text).Close();

    /// <summary>An empty element such as <c>meta</c> or <c>img</c>, self-closed.</summary>
    public HtmlBuilder Void(string tag, params (string Name, string? Value)[] attributes)
    {
        StartTag(tag, attributes);
        _text.Append(" />");
        return this;
    }

    /// <summary>Escaped text.</summary>
    public HtmlBuilder Text(string? text)
    {
        _text.Append(Escape(text));
        return this;
    }

    /// <summary>Markup this assembly wrote itself (the style sheet, the doctype); never pass user text here.</summary>
    public HtmlBuilder Trusted(string markup)
    {
        _text.Append(markup);
        return this;
    }

    /// <summary>A PNG embedded as a base64 data URI inside a captioned figure.</summary>
    /// <exception cref="ArgumentException">The bytes are not a PNG.</exception>
    public HtmlBuilder Figure(byte[] png, string caption, string? id = null)
    {
        if (png is null || png.Length < PngSignature.Length || !png.AsSpan(0, PngSignature.Length).SequenceEqual(PngSignature))
            throw new ArgumentException($"image '{caption}' is not a PNG", nameof(png));
        Open("figure", ("id", id));
        Void("img", ("src", "data:image/png;base64," + Convert.ToBase64String(png)), ("alt", caption));
        Element("figcaption", caption);
        return Close();
    }

    /// <summary>A table inside a horizontally scrolling box (phones), with a header row and body rows.</summary>
    public HtmlBuilder Table(string? id, string? cssClass, IReadOnlyList<HtmlCell> header, IEnumerable<IReadOnlyList<HtmlCell>> rows, string? caption = null)
    {
        Open("div", ("class", "scroll"));
        Open("table", ("id", id), ("class", cssClass));
        if (caption is not null)
            Element("caption", caption);
        Open("thead").Open("tr");
        foreach (var cell in header)
            Cell(cell with { IsHeader = true });
        Close().Close();
        Open("tbody");
        foreach (var row in rows)
        {
            Open("tr");
            foreach (var cell in row)
                Cell(cell);
            Close();
        }
        return Close().Close().Close();
    }

    /// <summary>Two-column name/value table.</summary>
    public HtmlBuilder KeyValues(string? id, IEnumerable<(string Key, string Value)> pairs)
    {
        Open("div", ("class", "scroll"));
        Open("table", ("id", id), ("class", "kv")).Open("tbody");
        foreach (var (key, value) in pairs)
            Open("tr").Element("th", key, ("scope", "row")).Element("td", value).Close();
        return Close().Close().Close();
    }

    /// <summary>The document; every opened tag must have been closed.</summary>
    public override string ToString()
    {
        if (_open.Count != 0)
            throw new InvalidOperationException($"unclosed <{_open.Peek()}>");
        return _text.ToString();
    }

    private void Cell(HtmlCell cell)
    {
        Open(cell.IsHeader ? "th" : "td", ("class", cell.Class), ("style", cell.Style));
        if (cell.Html is not null)
            _text.Append(cell.Html);
        else
            Text(cell.Text);
        Close();
    }

    private void StartTag(string tag, (string Name, string? Value)[] attributes)
    {
        _text.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
                _text.Append(' ').Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }
    }
}
