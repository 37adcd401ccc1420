using System.Text;
using Kube.Controller.Sources;

namespace Kube.Controller.Tests.Sources;

/// <summary>Which managedFields the filter blanks: every object's metadata, nothing else, and nothing in what is not JSON.</summary>
public sealed class ManagedFieldsFilterTests
{
    private const string Entry = """[{"manager":"kubectl","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{}}}}]""";

    [Fact]
    public void An_objects_managed_fields_become_null_and_the_body_keeps_its_length()
    {
        var json = $$$"""{"kind":"Secret","metadata":{"name":"a","managedFields":{{{Entry}}},"labels":{"x":"y"}},"data":{"k":"dg=="}}""";

        var blanked = Blank(json);

        Assert.Equal(json.Length, blanked.Length);
        Assert.StartsWith("""{"kind":"Secret","metadata":{"name":"a","managedFields":null   """, blanked);
        Assert.EndsWith(""","labels":{"x":"y"}},"data":{"k":"dg=="}}""", blanked);
        Assert.DoesNotContain("kubectl", blanked);
    }

    [Fact]
    public void Every_item_of_a_list_loses_its_managed_fields()
    {
        var json = $$$"""{"kind":"SecretList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a","managedFields":{{{Entry}}}}},{"metadata":{"managedFields":{{{Entry}}},"name":"b"}}]}""";

        var blanked = Blank(json);

        Assert.DoesNotContain("kubectl", blanked);
        Assert.Contains("\"name\":\"a\"", blanked);
        Assert.Contains("\"name\":\"b\"", blanked);
    }

    [Fact]
    public void A_field_of_that_name_outside_metadata_stays()
    {
        var json = """{"metadata":{"name":"a","labels":{"managedFields":"kept"}},"spec":{"managedFields":""" + Entry + ""","template":{"metadata":{"labels":{}}}}}""";

        Assert.Equal(json, Blank(json));
    }

    [Fact]
    public void What_is_not_json_is_left_for_the_decoder_to_report()
    {
        const string Text = "<html>502 Bad Gateway</html>";

        Assert.Equal(Text, Blank(Text));
    }

    private static string Blank(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        ManagedFieldsFilter.Blank(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
