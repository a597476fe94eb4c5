namespace Certus.BrowserTests;
