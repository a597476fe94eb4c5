namespace Certus.Platform.Tests;
