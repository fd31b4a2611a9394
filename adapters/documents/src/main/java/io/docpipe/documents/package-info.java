/**
 * Text of office documents: PDF (Apache PDFBox), DOCX, PPTX, XLSX (Apache POI) and zip archives of
 * them and of text, each read under {@link io.docpipe.documents.DocumentLimits} so that a hostile
 * file (a zip or stream bomb, an XML external entity, billions of characters) fails one document
 * instead of the run. Entry type: {@link io.docpipe.documents.Documents}.
 */
@NullMarked
package io.docpipe.documents;

import org.jspecify.annotations.NullMarked;
